"""Kaari's settings plus the benchmark's bare comparison view (benchmarks/gate.py)."""

from kaari.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.gate_urls"
KAARI_API_URLCONF = "benchmarks.gate_urls"
