"""``python -m services.aggregator``: run an aggregator worker."""

from services.aggregator.app import main

if __name__ == "__main__":
    main()
