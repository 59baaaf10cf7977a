"""Special parameters. R4 defines one, Location `near` (geographic distance), which Kaari does not index
yet: it is listed as unsupported and left out of the CapabilityStatement."""

from __future__ import annotations

from kaari.fhir.search.types.base import SearchType


class Special(SearchType):
    name = "special"
    table = ""
    columns = ()
    indexable = frozenset()
    sortable = False
