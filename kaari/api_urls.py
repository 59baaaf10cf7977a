"""The URLs the lean API handler serves (kaari.wsgi): the FHIR API and the CDS Hooks services, nothing else.

Resolving an API request against these few patterns, instead of walking every page's pattern first, is a
measurable part of a read by id."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("kaari.fhir.urls")),
    path("", include("kaari.cds.urls")),
]
