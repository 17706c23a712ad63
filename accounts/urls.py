from __future__ import annotations

from allauth.account.views import LoginView
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", LoginView.as_view(), name="login"),
    path("terminos/", views.terminos, name="terminos"),
]
