from django.apps import AppConfig


class ServerConfig(AppConfig):
    """Running Kaari: the production server command and deployment checks."""

    name = "kaari.server"
    label = "server"
