from django.urls import path

from kaari.labs.ordering import views

app_name = "labs"
urlpatterns = [
    path("clients/<str:patient_id>/labs/", views.labs_page, name="page"),
    path("clients/<str:patient_id>/labs/catalogue", views.catalogue_search, name="catalogue"),
    path("clients/<str:patient_id>/labs/orders", views.draft_add, name="draft-add"),
    path("clients/<str:patient_id>/labs/orders/sign", views.orders_sign, name="sign"),
    path("clients/<str:patient_id>/labs/orders/remove", views.draft_remove, name="draft-remove"),
    path("clients/<str:patient_id>/labs/orders/override", views.draft_override, name="override"),
]
