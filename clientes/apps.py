from django.apps import AppConfig


class ClientesConfig(AppConfig):
    name = "clientes"
    verbose_name = "contratantes (clientes)"
    default_auto_field = "django.db.models.BigAutoField"
