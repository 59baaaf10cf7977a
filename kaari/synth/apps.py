from django.apps import AppConfig


class SynthConfig(AppConfig):
    """The synthetic wellbeing services county: generator, NDJSON writer and its analysis."""

    name = "kaari.synth"
    label = "synth"
