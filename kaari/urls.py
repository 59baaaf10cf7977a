from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),  # the language switch of every page
    path("", include("kaari.workspace.urls")),
    path("", include("kaari.fhir.urls")),
    path("", include("kaari.access.urls")),
    path("", include("kaari.cds.urls")),
    path("", include("kaari.safety.prescribing.urls")),
    path("", include("kaari.labs.ordering.urls")),
]
