"""Seeds the bench database for the load scenario and writes what the virtual users need to a JSON file.

    python bench/load/sembrar.py SALIDA.json [--contratistas 20]

Creates contratistas (each with a capturista that has a password, a few informativas in the bandeja, and a
contrato ready for a carga masiva). Contratistas log in with e.firma, whose upload and key decryption is what
`bench_efirma.py` measures; here they get a session created directly in the database (a test-only shortcut,
printed as such), while capturistas log in through the real CURP + password form.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icsoe.settings")

PASSWORD = "Clave-Carga-2026"


def _curp_capturista(i: int) -> str:
    from stdnum.mx import curp

    base = f"CAPT{800101 + i:06d}HDFRRN0"[:17]
    return base + curp.calc_check_digit(base)


def _rfc(i: int) -> str:
    from stdnum.mx import rfc

    base = f"EMP{900101 + i:06d}AB"
    return base + rfc.calc_check_digit(base)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("salida")
    parser.add_argument("--contratistas", type=int, default=10)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import NoReverseMatch, get_resolver, reverse

    from accounts.models import User
    from accounts.services import terminos_aceptar, terminos_vigentes
    from capturistas.models import Relacion
    from contratistas.models import ContribuyenteSat
    from contratistas.services import contratista_obtener_o_crear
    from informativas import services
    from informativas.models import Contrato, Informativa

    hoy = datetime.date.today()
    ContribuyenteSat.objects.get_or_create(rfc="CLI010101AB5", defaults={"razon_social": "CLIENTE SA DE CV"})
    terminos = terminos_vigentes()
    datos = {"contratistas": [], "password": PASSWORD}
    for i in range(args.contratistas):
        contratista = contratista_obtener_o_crear(rfc=_rfc(i), razon_social=f"EMPRESA DE CARGA {i} SA DE CV")
        usuario = contratista.usuario
        if terminos:
            terminos_aceptar(usuario=usuario, terminos=terminos, ip=None)
        curp = _curp_capturista(i)
        capturista, _ = User.objects.get_or_create(
            username=curp,
            defaults={"rol": User.Rol.CAPTURISTA, "curp": curp, "nombre_completo": f"CAPTURISTA {i}",
                      "email": f"capturista{i}@example.com"},
        )
        capturista.set_password(PASSWORD)
        capturista.save()
        if terminos:
            terminos_aceptar(usuario=capturista, terminos=terminos, ip=None)
        Relacion.objects.get_or_create(
            contratista=contratista, capturista=capturista,
            defaults={"estatus": Relacion.Estatus.ACTIVA, "telefono": "5512345678", "correo": capturista.email,
                      "usuario_alta": usuario},
        )
        for anio in range(hoy.year - 1, hoy.year + 1):
            for cuatrimestre in (1, 2, 3):
                try:
                    services.informativa_crear(
                        contratista=contratista, anio=anio, cuatrimestre=cuatrimestre, tipo="NORMAL",
                        usuario=usuario, hoy=hoy,
                    )
                except Exception:  # a period not yet concluded, or one that exists already
                    continue
        existentes = list(Informativa.objects.filter(contratista=contratista).order_by("pk"))
        for informativa in existentes:
            if not informativa.contratos.exists():
                contrato = services.contrato_crear(
                    informativa=informativa,
                    contratante=services.DatosContratante(
                        rfc="CLI010101AB5", razon_social="", correo="compras@cliente.mx", celular="5511112222",
                        domicilio_social_igual_fiscal=True, domicilio_convencional_igual_fiscal=True,
                    ),
                    usuario=usuario,
                )
                services.contrato_actualizar(
                    contrato=contrato, objeto="OC de carga", registro_repse="AR12345/2021",
                    servicio="Servicio especializado",
                    fecha_inicio=datetime.date(informativa.anio, informativa.periodo.mes_inicial, 15),
                    fecha_termino=None, usuario=usuario,
                )
        sesion = SessionStore()
        sesion[SESSION_KEY] = str(usuario.pk)
        sesion[BACKEND_SESSION_KEY] = "contratistas.backends.EfirmaBackend"
        sesion[HASH_SESSION_KEY] = usuario.get_session_auth_hash()
        sesion.create()
        datos["contratistas"].append(
            {
                "rfc": contratista.rfc,
                "code": str(contratista.code),
                "sesion": sesion.session_key,
                "capturista": curp,
                "informativas": [str(i.code) for i in existentes],
                "contratos": [
                    [str(c.informativa.code), str(c.code)]
                    for c in Contrato.objects.filter(informativa__in=existentes).select_related("informativa")
                ],
            }
        )
    nombres = {n for n in get_resolver().reverse_dict if isinstance(n, str)}
    for espacio, (_, sub) in get_resolver().namespace_dict.items():
        nombres |= {f"{espacio}:{n}" for n in sub.reverse_dict if isinstance(n, str)}
    # Issue 7 adds the acuse download; until then there is no such URL and the scenario skips that task.
    datos["acuse_url"] = acuse_url = next((n for n in sorted(nombres) if "acuse" in n and "descargar" in n), None)
    for entrada in datos["contratistas"]:
        entrada["acuses"] = []
        if not acuse_url:
            continue
        presentadas = Informativa.objects.filter(contratista__code=entrada["code"]).exclude(
            estatus__in=[Informativa.Estatus.EN_CAPTURA, Informativa.Estatus.PENDIENTE_FIRMA]
        )
        for informativa in presentadas:
            try:
                entrada["acuses"].append(reverse(acuse_url, kwargs={"code": informativa.code}))
            except NoReverseMatch:
                pass
    datos["cookie"] = settings.SESSION_COOKIE_NAME
    Path(args.salida).write_text(json.dumps(datos, indent=1))
    total = sum(len(c["informativas"]) for c in datos["contratistas"])
    acuses = sum(len(c["acuses"]) for c in datos["contratistas"])
    print(f"sembrado: {len(datos['contratistas'])} contratistas con sesión creada en la base (atajo de prueba: "
          f"la e.firma se mide en bench_efirma.py), {len(datos['contratistas'])} capturistas con contraseña, "
          f"{total} informativas, {acuses} acuses para descargar")


if __name__ == "__main__":
    main()
