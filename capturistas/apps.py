from django.apps import AppConfig


class CapturistasConfig(AppConfig):
    name = "capturistas"
    default_auto_field = "django.db.models.BigAutoField"
