from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("kaari.workspace.urls")),
    path("", include("kaari.fhir.urls")),
    path("", include("kaari.access.urls")),
    path("", include("kaari.cds.urls")),
    path("", include("kaari.labs.ordering.urls")),
]
