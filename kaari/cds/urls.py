from django.urls import path

from kaari.cds import views

urlpatterns = [
    path("cds-services", views.discovery),
    path("cds-services/<str:service_id>", views.service_endpoint),
    path("cds-services/<str:service_id>/feedback", views.feedback_endpoint),
]
