from django.apps import AppConfig


class DemoConfig(AppConfig):
    """`make run`'s demo data (`cargar_demo`): the one app that may import every other, so none imports it."""

    name = "demo"
