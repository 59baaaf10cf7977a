from django.urls import path, re_path

from kaari.fhir.rest.views import fhir_endpoint

urlpatterns = [
    path("fhir", fhir_endpoint),
    re_path(r"^fhir/(?P<path>.*)$", fhir_endpoint),
]
