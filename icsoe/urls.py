from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from accounts.forms import AdminIngresoForm
from accounts.views import admin_contrasena_cambiar, admin_ingreso

admin.site.site_header = "ICSOE · Administración IMSS"
admin.site.site_title = "ICSOE"
admin.site.index_title = "Administración del portal ICSOE"
# The admin's password forms under the throttle of every password form (accounts.freno): its login form, and
# the two views in front of the site's own (its password change takes no other form).
admin.site.login_form = AdminIngresoForm

urlpatterns = [
    path("admin/login/", admin_ingreso, name="admin_ingreso"),
    path(
        "admin/password_change/", admin.site.admin_view(admin_contrasena_cambiar), name="admin_contrasena_cambiar"
    ),
    path("admin/", admin.site.urls),
    path("acceso/efirma/", include("contratistas.ingreso_efirma_urls")),
    path("acceso/", include("accounts.urls")),
    path("cuenta/", include("accounts.cuenta_urls")),  # allauth, reduced to what the portal uses
    path("contratista/", include("contratistas.urls")),
    path("usuarios/", include("capturistas.urls")),
    path("informativas/", include("informativas.urls")),
    path("verificar-acuse/", include("informativas.verificacion_urls")),
    path("listado-publico/", include("informativas.listado.urls")),
    path("expediente/", include("informativas.enlaces.urls")),  # a contratante's link (issue 25)
    path("contratante/", include("clientes.urls")),
    path("autorizaciones/", include("clientes.autorizaciones_urls")),
    path("", include("core.urls")),
]

handler403 = "core.views.acceso_denegado"
