from django.apps import AppConfig


class PlazosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plazos"
    verbose_name = "Plazos y días inhábiles"
