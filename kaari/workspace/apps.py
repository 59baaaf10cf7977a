from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The professional's browser workspace: start page, client search and the chart."""

    name = "kaari.workspace"
    label = "workspace"
    default_auto_field = "django.db.models.BigAutoField"
