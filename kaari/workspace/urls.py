from django.urls import include, path

from kaari.workspace import views

urlpatterns = [
    path("", views.start, name="start"),
    path("i18n/", include("django.conf.urls.i18n")),
]
