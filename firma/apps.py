from django.apps import AppConfig


class FirmaConfig(AppConfig):
    name = "firma"
    default_auto_field = "django.db.models.BigAutoField"
