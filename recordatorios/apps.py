from django.apps import AppConfig


class RecordatoriosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recordatorios"
    verbose_name = "Recordatorios de vencimiento"
