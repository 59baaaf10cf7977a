"""Medication safety: the cited knowledge base and the pure rules behind the medication CDS Hooks services."""
