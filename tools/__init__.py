"""Developer tools: the synthetic corpus generator, the chaos and soak runs."""
