"""Seeds the bench database for the load scenario and writes what the virtual users need to a JSON file.

    python bench/load/sembrar.py SALIDA.json [--contratistas 20]

Creates contratistas (each with a capturista that has a password, a few informativas in the bandeja, and a
contrato ready for a carga masiva), and presents one informativa of each: signed with a demo e.firma of the
contratista's RFC through the real services (``firma_preparar`` and ``informativa_firmar``: folio, sello,
acuse PDF; the browser's signature made by tests/firma_navegador.py), so the acuse download is measured.
Contratistas log in with e.firma, whose server side `bench_efirma.py` measures and whose browser side
`bench_firma_navegador.py` does; here they get sessions created directly in the session store (a test-only
shortcut, printed as such; one per simulated user, as each real user has its own), while capturistas log in
through the real CURP + password form.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from decimal import Decimal
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
    parser.add_argument("--sesiones", type=int, default=5, help="sessions per contratista")
    args = parser.parse_args()

    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.urls import reverse

    from accounts.models import User
    from accounts.services import terminos_aceptar, terminos_vigentes
    from capturistas.models import Relacion
    from contratistas.models import ContribuyenteSat
    from contratistas.services import contratista_obtener_o_crear
    from firma.services import sello_portal_demo_emitir
    from informativas.captura import services
    from informativas.models import Contrato, Informativa

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    sello_portal_demo_emitir()  # the portal's counter-signature on every acuse (a demo pair, as in make run)
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
            defaults={
                "rol": User.Rol.CAPTURISTA,
                "curp": curp,
                "nombre_completo": f"CAPTURISTA {i}",
                "email": f"capturista{i}@example.com",
            },
        )
        capturista.set_password(PASSWORD)
        capturista.save()
        if terminos:
            terminos_aceptar(usuario=capturista, terminos=terminos, ip=None)
        Relacion.objects.get_or_create(
            contratista=contratista,
            capturista=capturista,
            defaults={
                "estatus": Relacion.Estatus.ACTIVA,
                "telefono": "5512345678",
                "correo": capturista.email,
                "usuario_alta": usuario,
            },
        )
        for anio in range(hoy.year - 1, hoy.year + 1):
            for cuatrimestre in (1, 2, 3):
                try:
                    services.informativa_crear(
                        contratista=contratista,
                        anio=anio,
                        cuatrimestre=cuatrimestre,
                        tipo="NORMAL",
                        usuario=usuario,
                        hoy=hoy,
                    )
                except Exception:  # a period not yet concluded, or one that exists already
                    continue
        existentes = list(Informativa.objects.filter(contratista=contratista).order_by("pk"))
        for informativa in existentes:
            if not informativa.contratos.exists():
                contrato = services.contrato_crear(
                    informativa=informativa,
                    contratante=services.DatosContratante(
                        rfc="CLI010101AB5",
                        razon_social="",
                        correo="compras@cliente.mx",
                        celular="5511112222",
                        domicilio_social_igual_fiscal=True,
                        domicilio_convencional_igual_fiscal=True,
                    ),
                    usuario=usuario,
                )
                services.contrato_actualizar(
                    contrato=contrato,
                    objeto="OC de carga",
                    registro_repse="AR12345/2021",
                    servicio="Servicio especializado",
                    fecha_inicio=datetime.date(informativa.anio, informativa.periodo.mes_inicial, 15),
                    fecha_termino=None,
                    usuario=usuario,
                )
        presentada = existentes[0]
        if presentada.estatus != Informativa.Estatus.PRESENTADA:
            presentada = _presentar(presentada, usuario, i)
        en_captura = [x for x in existentes if x.pk != presentada.pk]
        sesiones = []
        for _ in range(args.sesiones):
            sesion = SessionStore()
            sesion[SESSION_KEY] = str(usuario.pk)
            sesion[BACKEND_SESSION_KEY] = "contratistas.backends.EfirmaBackend"
            sesion[HASH_SESSION_KEY] = usuario.get_session_auth_hash()
            sesion.create()
            sesiones.append(sesion.session_key)
        datos["contratistas"].append(
            {
                "rfc": contratista.rfc,
                "code": str(contratista.code),
                "sesiones": sesiones,
                "capturista": curp,
                "informativas": [str(x.code) for x in en_captura],
                "contratos": [
                    [str(c.informativa.code), str(c.code)]
                    for c in Contrato.objects.filter(informativa__in=en_captura).select_related("informativa")
                ],
                "acuses": [reverse("informativas:acuse_descargar", kwargs={"code": presentada.code})],
            }
        )
    datos["cookie"] = settings.SESSION_COOKIE_NAME
    Path(args.salida).write_text(json.dumps(datos, indent=1))
    total = sum(len(c["informativas"]) for c in datos["contratistas"])
    acuses = sum(len(c["acuses"]) for c in datos["contratistas"])
    print(
        f"sembrado: {len(datos['contratistas'])} contratistas con {args.sesiones} sesiones cada uno creadas "
        f"directamente ({settings.SESSION_ENGINE}; atajo de prueba: la e.firma se mide en bench_efirma.py), "
        f"{len(datos['contratistas'])} capturistas con contraseña, {total} informativas en captura, "
        f"{acuses} presentadas con e.firma demo y acuse para descargar"
    )


def _presentar(informativa, usuario, i: int):
    """Completes the informativa (one trabajador, the Contratista tab, contratos declarados), sends it to
    signing and signs it with a demo e.firma of the contratista's RFC: the real path, acuse PDF included."""
    from firma.services import DEMO_PASSWORD, efirma_demo_emitir
    from informativas.captura import services
    from tests.efirma_sat import Efirma
    from tests.firma_navegador import firmar_informativa
    from tests.informativas.datos import curp, nss

    contrato = informativa.contratos.get()
    services.trabajador_agregar(
        contrato=contrato,
        nss=nss(900_000 + i),
        curp=curp(300_000 + i),
        sbc=Decimal("452.37"),
        usuario=usuario,
    )
    services.informativa_contratista_guardar(
        informativa=informativa, igual_fiscal=True, domicilio=None, usuario=usuario
    )
    services.informativa_contratos_declarados_guardar(informativa=informativa, numero=1, usuario=usuario)
    informativa = services.informativa_enviar_a_firma(informativa=informativa, usuario=usuario)
    contratista = informativa.contratista
    cer, key = efirma_demo_emitir(rfc=contratista.rfc, nombre=contratista.razon_social)
    # Validar + Firmar as the page does them; the page's signature made in Python (tests/firma_navegador.py).
    return firmar_informativa(informativa, Efirma(cer, key, DEMO_PASSWORD, contratista.rfc), usuario=usuario)


if __name__ == "__main__":
    main()
