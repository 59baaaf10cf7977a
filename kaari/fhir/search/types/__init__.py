"""One class per search-parameter type. Adding a type: a class here, its table in kaari/fhir/models.py."""

from __future__ import annotations

from kaari.fhir.search.types.base import QueryContext, SearchError, SearchType
from kaari.fhir.search.types.composite import Composite
from kaari.fhir.search.types.date import Date
from kaari.fhir.search.types.number import Number
from kaari.fhir.search.types.quantity import Quantity
from kaari.fhir.search.types.reference import Reference
from kaari.fhir.search.types.special import Special
from kaari.fhir.search.types.string import String
from kaari.fhir.search.types.token import Token
from kaari.fhir.search.types.uri import Uri

SEARCH_TYPES: dict[str, SearchType] = {
    t.name: t for t in (String(), Token(), Reference(), Date(), Number(), Quantity(), Uri(), Composite(), Special())
}

__all__ = ["SEARCH_TYPES", "QueryContext", "SearchError", "SearchType"]
