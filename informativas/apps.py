from django.apps import AppConfig


class InformativasConfig(AppConfig):
    name = "informativas"
    default_auto_field = "django.db.models.BigAutoField"
