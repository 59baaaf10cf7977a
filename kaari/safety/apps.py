from __future__ import annotations

import logging

from django.apps import AppConfig

logger = logging.getLogger(__name__)


class SafetyConfig(AppConfig):
    name = "kaari.safety"
    label = "safety"
    verbose_name = "Medication safety"

    def ready(self) -> None:
        # The knowledge base is loaded once, at start, so that the first order-sign pays no parsing cost.
        # A broken knowledge file must not stop `kaari kb check` from starting and reporting it.
        from kaari.safety.knowledge import KnowledgeError, knowledge_base

        try:
            knowledge_base()
        except KnowledgeError as exc:
            logger.error("medication knowledge base not loaded: %s", exc)
