from django.urls import path

from kaari.safety.prescribing import views

_BASE = "clients/<str:patient_id>/medications/"

urlpatterns = [
    path(_BASE, views.medications, name="medications"),
    path(_BASE + "search", views.search, name="medications-search"),
    path(_BASE + "new", views.prescription_new, name="prescription-new"),
    path(_BASE + "sign", views.sign, name="prescriptions-sign"),
    path(_BASE + "suggestions", views.suggestion_accept, name="suggestion-accept"),
    path(_BASE + "drafts/<str:draft_id>/remove", views.draft_remove, name="draft-remove"),
    path(_BASE + "<str:order_id>/stop", views.medication_stop, name="medication-stop"),
    path(_BASE + "<str:order_id>/continue", views.medication_continue, name="medication-continue"),
    path(_BASE + "<str:order_id>/change", views.medication_change, name="medication-change"),
]
