from django.apps import AppConfig


class ListasSatConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "listas_sat"
    verbose_name = "Listas del SAT (69, 69-B, 69-B Bis)"
