"""Topic administration: create every topic, with its partition count, before workers start."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from shared.settings import Settings
from shared.topics import TopicSpec, all_topics

log = logging.getLogger(__name__)


async def ensure_topics(bootstrap: str, specs: list[TopicSpec], timeout_s: float = 30.0) -> None:
    """Create the topics that do not exist yet; existing ones are left as they are."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
        try:
            await admin.start()
            existing = set(await admin.list_topics())
            missing = [s for s in specs if s.name not in existing]
            for spec in missing:
                config = {"cleanup.policy": "compact"} if spec.compacted else {}
                topic = NewTopic(spec.name, spec.partitions, 1, topic_configs=config)
                # Another process may have created it in the meantime.
                with contextlib.suppress(TopicAlreadyExistsError):
                    await admin.create_topics([topic])
            if missing:
                log.info("topics created", extra={"topics": [s.name for s in missing]})
            return
        except (KafkaError, OSError) as exc:
            if asyncio.get_running_loop().time() > deadline:
                raise
            log.warning("broker not ready for topic creation", extra={"error": repr(exc)})
            await asyncio.sleep(1.0)
        finally:
            await admin.close()


def ensure_pipeline_topics(settings: Settings, bootstrap: str | None = None) -> None:
    """Create all of the pipeline's topics on the configured broker (blocking)."""
    specs = all_topics(settings.flow_partitions, settings.deadletter_partitions)
    asyncio.run(ensure_topics(bootstrap or settings.kafka_broker, specs))
