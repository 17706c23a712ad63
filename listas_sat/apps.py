from django.apps import AppConfig


class ListasSatConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "listas_sat"
    verbose_name = "Listas del SAT (69, 69-B, 69-B Bis)"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .avisos import aviso_al_entrar

        user_logged_in.connect(aviso_al_entrar, dispatch_uid="listas_sat_aviso_al_entrar")
