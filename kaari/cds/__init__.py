"""CDS Hooks 2.0: the shape every decision-support service in Kaari shares.

Rules are pure functions from a context of FHIR resources to a list of `Card`s; only the service runtime
does I/O (prefetch, reading the store through the gate, recording feedback).
"""
