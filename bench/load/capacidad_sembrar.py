"""Seeds what the capacity step (capacidad.py) needs beyond the load scenario's seeding, and writes it to JSON.

    python bench/load/capacidad_sembrar.py SALIDA.json

- ``jornada``: a contratista with no informativa yet and its demo e.firma (files on disk), for the browser
  journeys, which log in with the e.firma as a contratista does and file from an empty bandeja.
- ``firmantes``: contratistas with Sin información filings pending signature in every concluded period and a
  session each, so Firmar (a request that presents the filing: it can run once per informativa) is measured
  in isolation over many of them.
- ``cargas``: a contratista with empty contratos, each receiving one 3,000-row carga masiva in isolation.
Contratistas are created through the real services; their sessions directly in the session store (the
load seeding's shortcut; the e.firma login itself is measured as a kind of request of its own).
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

RFC_CLIENTE = "CLI010101AB5"


def _rfc(prefijo: str, i: int) -> str:
    from stdnum.mx import rfc

    base = f"{prefijo}{910101 + i:06d}AB"
    return base + rfc.calc_check_digit(base)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("salida")
    parser.add_argument("--firmantes", type=int, default=4)
    parser.add_argument("--cargas", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from accounts.services import terminos_aceptar, terminos_vigentes
    from contratistas.models import ContribuyenteSat
    from contratistas.services import contratista_obtener_o_crear
    from firma.services import DEMO_PASSWORD, efirma_demo_emitir, sello_portal_demo_emitir
    from informativas.captura import services
    from informativas.models import Informativa

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    sello_portal_demo_emitir()  # the portal's counter-signature on every acuse (as the load seeding does)
    terminos = terminos_vigentes()
    # The contratante of every contrato, in the SAT registry (its razón social comes from there).
    ContribuyenteSat.objects.get_or_create(rfc=RFC_CLIENTE, defaults={"razon_social": "CLIENTE SA DE CV"})
    hoy = datetime.date.today()

    def contratista(rfc: str, razon_social: str):
        c = contratista_obtener_o_crear(rfc=rfc, razon_social=razon_social)
        if terminos:
            terminos_aceptar(usuario=c.usuario, terminos=terminos, ip=None)
        cer, key = efirma_demo_emitir(rfc=rfc, nombre=razon_social)
        return c, {"rfc": rfc, "cer": str(cer), "key": str(key), "password": DEMO_PASSWORD}

    def sesion(usuario) -> str:
        s = SessionStore()
        s[SESSION_KEY] = str(usuario.pk)
        s[BACKEND_SESSION_KEY] = "contratistas.backends.EfirmaBackend"
        s[HASH_SESSION_KEY] = usuario.get_session_auth_hash()
        s.create()
        return s.session_key

    periodos = [(anio, c) for anio in range(hoy.year - 4, hoy.year + 1) for c in (1, 2, 3)]
    # A run on a database that already has an earlier run's contratistas gets new ones.
    from contratistas.models import Contratista

    corrida = Contratista.objects.filter(rfc__startswith="JOR").count()
    _, jornada = contratista(_rfc("JOR", corrida), "EMPRESA DE LA JORNADA SA DE CV")
    datos: dict = {
        "jornada": jornada,
        "rfc_cliente": RFC_CLIENTE,
        "firmantes": [],
        "cookie": settings.SESSION_COOKIE_NAME,
    }
    for i in range(args.firmantes):
        c, efirma = contratista(_rfc("FIR", corrida * 100 + i), f"EMPRESA FIRMANTE {i} SA DE CV")
        for anio, cuatrimestre in periodos:
            try:
                services.informativa_sin_informacion_declarar(
                    contratista=c, anio=anio, cuatrimestre=cuatrimestre, usuario=c.usuario, hoy=hoy
                )
            except Exception:  # a period not yet concluded, or not offered
                continue
        pendientes = [
            str(code)
            for code in Informativa.objects.filter(
                contratista=c, estatus=Informativa.Estatus.PENDIENTE_FIRMA
            ).values_list("code", flat=True)
        ]
        datos["firmantes"].append(efirma | {"sesion": sesion(c.usuario), "pendientes": pendientes})

    c, _ = contratista(_rfc("CAR", corrida), "EMPRESA DE CARGAS SA DE CV")
    contratos = []
    for anio, cuatrimestre in periodos:
        if len(contratos) == args.cargas:
            break
        try:
            informativa = services.informativa_crear(
                contratista=c,
                anio=anio,
                cuatrimestre=cuatrimestre,
                tipo=Informativa.Tipo.NORMAL,
                usuario=c.usuario,
                hoy=hoy,
            )
        except Exception:
            continue
        contrato = services.contrato_crear(
            informativa=informativa,
            contratante=services.DatosContratante(
                rfc=RFC_CLIENTE,
                razon_social="",
                correo="compras@cliente.mx",
                celular="5511112222",
                domicilio_social_igual_fiscal=True,
                domicilio_convencional_igual_fiscal=True,
            ),
            usuario=c.usuario,
        )
        services.contrato_actualizar(
            contrato=contrato,
            objeto="OC de carga",
            registro_repse="AR12345/2021",
            servicio="Servicio especializado",
            fecha_inicio=datetime.date(informativa.anio, informativa.periodo.mes_inicial, 15),
            fecha_termino=None,
            usuario=c.usuario,
        )
        contratos.append([str(informativa.code), str(contrato.code)])
    datos["cargas"] = {"sesion": sesion(c.usuario), "contratos": contratos}
    Path(args.salida).write_text(json.dumps(datos, indent=1))
    print(
        f"sembrado de capacidad: 1 contratista para las jornadas en el navegador, {len(datos['firmantes'])} "
        f"con {sum(len(f['pendientes']) for f in datos['firmantes'])} Sin información pendientes de firma, "
        f"{len(contratos)} contratos vacíos para cargas masivas"
    )


if __name__ == "__main__":
    main()
