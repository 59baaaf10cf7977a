"""Domain-free helpers. Nothing here knows about FHIR, clients or Django apps."""
