from django.urls import path

from kaari.workspace import chart_views, views, writing_views
from kaari.workspace.selectors.chart import BLOCKS

urlpatterns = [
    path("", views.start, name="start"),
    path("clients", views.clients, name="clients"),
    path("clients/<str:patient_id>/", chart_views.chart, name="chart"),
    *(
        path(f"clients/<str:patient_id>/{name}", chart_views.block, {"name": name}, name=f"chart-{name}")
        for name in BLOCKS
    ),
    path("clients/<str:patient_id>/notes/new", writing_views.note_new, name="note-new"),
    path("clients/<str:patient_id>/entries/new", writing_views.social_entry_new, name="social-entry-new"),
    path("clients/<str:patient_id>/emergency", writing_views.emergency, name="emergency"),
]
