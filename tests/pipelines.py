"""The pipelines the end-to-end tests start: each its own (never on the default ports, so never in
the way of one already running here), and files published to it as ``python -m services.fetcher
publish`` would."""

from __future__ import annotations

from pathlib import Path

from services.fetcher.publish import PublishReport, publish
from shared.settings import load_settings
from shared.supervisor import Pipeline


def own_pipeline(workdir: Path, replicas: dict[str, int] | None = None) -> Pipeline:
    """A pipeline in ``workdir``, one worker per stage unless ``replicas`` says otherwise; not started:
    ``with own_pipeline(...) as running:`` starts it and stops it however the block ends."""
    if replicas is None:
        return Pipeline(load_settings({}), workdir, default_ports=False)
    return Pipeline(load_settings({}), workdir, replicas=replicas, default_ports=False)


def publish_to(pipeline: Pipeline, paths: list[Path]) -> PublishReport:
    """Publish the articles of ``paths`` to the pipeline's broker (the embedded one speaks Tansu)."""
    settings = load_settings({"KAFKA_BROKER": pipeline.bootstrap, "WIRECOUNT_BROKER_FLAVOUR": "tansu"})
    return publish(paths, settings, progress=False)
