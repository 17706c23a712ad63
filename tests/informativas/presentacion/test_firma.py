"""Firma y presentación: the service and its refusals, the acuse (PDF, sellos, verification); tampering after
signing: test_firma_alteraciones.py; the admin on a presented informativa: test_firma_admin.py."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import shutil
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from core.models import Bitacora, Correo
from firma import sat
from informativas.captura import services
from informativas.models import Acuse, FolioContador, Informativa, Trabajador
from informativas.presentacion import acuses
from informativas.presentacion import services as presentacion
from tests.conftest import requiere_servicios, texto_de
from tests.efirma_sat import CSD_EKU, FIEL_EKU

from ..conftest import firmar
from ..qr import leer_qr

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


def _texto_pdf(datos: bytes) -> str:
    return "".join(pagina.extract_text() for pagina in PdfReader(io.BytesIO(datos)).pages)


def _sin_espacios(texto: str) -> str:
    return re.sub(r"\s", "", texto)


def _pdf(informativa: Informativa) -> bytes:
    with informativa.acuse.pdf.open("rb") as f:
        return f.read()


# ----------------------------------------------------------------------------------------------------------
# Happy path
# ----------------------------------------------------------------------------------------------------------
def test_signing_presents_the_informativa_with_its_folio_cadena_sellos_and_acuse(pendiente, fiel, contratista):
    informativa = firmar(pendiente, fiel, usuario=contratista.usuario)

    informativa.refresh_from_db()
    assert informativa.estatus == Informativa.Estatus.PRESENTADA
    assert re.fullmatch(r"N26\d{7}", informativa.folio_definitivo)
    assert informativa.fecha_presentacion is not None and informativa.fecha_presentacion.microsecond == 0
    assert informativa.firmada_por_rfc == "ESI920427886"
    certificado = sat.cargar_certificado(fiel.cer.read_bytes())
    assert informativa.numero_certificado == certificado.numero_certificado

    campos = informativa.cadena_original.strip("|").split("|")
    assert campos[:9] == [
        "2",  # version 2: a Normal names no folio it modifies, so the field is left out (SAT practice)
        informativa.folio_definitivo,
        "ESI920427886",
        "EMPRESA DE SERVICIOS INTEGRALES SA DE CV",
        "2026",
        "1",
        "NORMAL",
        "1",
        "1",
    ]
    assert campos[9] == acuses.resumen(informativa).sha256
    assert campos[10] == acuses.fecha_firma(informativa.fecha_presentacion)
    assert campos[10].endswith("-06:00")  # Central Mexico time
    assert campos[11] == certificado.numero_certificado
    assert informativa.cadena_original.startswith("||") and informativa.cadena_original.endswith("||")
    assert sat.verificar(
        certificado, informativa.cadena_original.encode(), base64.b64decode(informativa.firma_b64)
    )

    acuse = informativa.acuse
    pdf = _pdf(informativa)
    assert pdf.startswith(b"%PDF")
    assert acuse.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert (acuse.num_contratos, acuse.num_trabajadores) == (1, 1)
    texto = _texto_pdf(pdf)
    assert "INSTITUTO MEXICANO DEL SEGURO SOCIAL" in texto
    assert informativa.folio_definitivo in texto
    assert _sin_espacios(informativa.cadena_original) in _sin_espacios(texto)
    assert _sin_espacios(informativa.firma_b64) in _sin_espacios(texto)
    assert _sin_espacios(acuse.sello_portal) in _sin_espacios(texto)
    contrato = informativa.contratos.get()
    assert contrato.folio in texto and "CLIENTE INDUSTRIAL SA DE CV" in texto
    assert (
        f"verificar-acuse/?folio={informativa.folio_definitivo}&codigo={acuse.codigo_verificacion}"
        in _sin_espacios(texto)
    )
    assert f"Código de verificación: {acuse.codigo_verificacion_mostrar}" in texto

    verificacion = acuses.acuse_verificar(folio=informativa.folio_definitivo)
    assert verificacion.valida, verificacion.problemas
    assert Bitacora.objects.filter(
        accion="informativas.informativa.presentada", objeto_id=str(informativa.pk)
    ).exists()


def test_the_qr_on_the_acuse_decodes_to_its_verification_url(pendiente, fiel, contratista, client):
    """The stored PDF rasterised and read by a real QR decoder (zbar), not by regenerating the code we drew."""
    presentada = firmar(pendiente, fiel, usuario=contratista.usuario)

    codigos = leer_qr(_pdf(presentada))

    codigo = presentada.acuse.codigo_verificacion
    assert codigos == [
        f"https://icsoe.example.gob.mx/verificar-acuse/?folio={presentada.folio_definitivo}&codigo={codigo}"
    ]
    destino = urlsplit(codigos[0])
    pagina = client.get(destino.path, dict(parse_qsl(destino.query))).content.decode()
    assert 'data-verificacion="valido"' in pagina and presentada.folio_definitivo in pagina
    assert "CLIENTE INDUSTRIAL SA DE CV" in pagina  # the code holder sees what was filed


def test_signing_queues_the_email_with_the_acuse_attached_in_the_outbox(pendiente, fiel, contratista):
    informativa = firmar(pendiente, fiel, usuario=contratista.usuario)

    correo = Correo.objects.get(plantilla="acuse_presentado")
    assert correo.para == "contacto@esi.example.mx"
    assert informativa.folio_definitivo in correo.asunto
    assert correo.adjunto_nombre == f"Acuse-{informativa.folio_definitivo}.pdf"
    assert correo.adjunto_tipo == "application/pdf"
    with correo.adjunto.open("rb") as f:
        assert f.read() == _pdf(informativa)
    codigo = informativa.acuse.codigo_verificacion
    assert f"verificar-acuse/?folio={informativa.folio_definitivo}&codigo={codigo}" in correo.cuerpo_texto


def test_a_sin_informacion_is_signed_with_its_own_folio_prefix(contratista, fiel):
    informativa = services.informativa_sin_informacion_declarar(
        contratista=contratista, anio=2025, cuatrimestre=3, usuario=contratista.usuario
    )

    informativa = firmar(informativa, fiel, usuario=contratista.usuario)

    assert re.fullmatch(r"SI25\d{7}", informativa.folio_definitivo)
    assert informativa.cadena_original.split("|")[9:11] == ["0", "0"]
    assert "no celebró contratos" in _texto_pdf(_pdf(informativa))
    assert acuses.acuse_verificar(folio=informativa.folio_definitivo).valida


# ----------------------------------------------------------------------------------------------------------
# Refusals: nothing changes
# ----------------------------------------------------------------------------------------------------------
def _nada_cambio(informativa: Informativa, *, salvo_el_folio: bool = False) -> None:
    informativa.refresh_from_db()
    assert informativa.estatus == Informativa.Estatus.PENDIENTE_FIRMA
    assert informativa.folio_definitivo == "" and informativa.cadena_original == ""
    assert not Acuse.objects.exists()
    assert not Correo.objects.filter(plantilla="acuse_presentado").exists()
    assert salvo_el_folio or not FolioContador.objects.filter(serie="N26").exists()
    assert not Bitacora.objects.filter(accion="informativas.informativa.presentada").exists()


def test_a_wrong_password_is_refused_in_spanish_and_nothing_changes(pendiente, fiel, contratista):
    with pytest.raises(sat.EfirmaError) as error:
        firmar(pendiente, fiel, usuario=contratista.usuario, password="equivocada")

    assert error.value.mensaje == "La contraseña de la llave privada es incorrecta."
    _nada_cambio(pendiente)


def test_another_rfcs_valid_fiel_is_refused(pendiente, contratista):
    with pytest.raises(sat.EfirmaError) as error:
        firmar(pendiente, FIEL_EKU, usuario=contratista.usuario)
    assert error.value.mensaje == presentacion.MENSAJE_RFC_DISTINTO

    with pytest.raises(sat.EfirmaError) as error:  # typing the contratista's RFC does not help
        firmar(pendiente, FIEL_EKU, usuario=contratista.usuario, rfc=contratista.rfc)
    assert error.value.mensaje == "El RFC capturado no corresponde al certificado de la e.firma."
    _nada_cambio(pendiente)


def test_the_contratistas_own_csd_is_refused(pendiente, firma_lista, contratista):
    with pytest.raises(sat.EfirmaError) as error:
        firmar(pendiente, firma_lista["csd"], usuario=contratista.usuario)

    assert error.value.mensaje == "El certificado no es una e.firma (FIEL)."
    _nada_cambio(pendiente)


def test_the_sat_test_csd_is_refused_for_its_own_rfc(firma_lista, db):
    from tests.conftest import contratista_con_terminos

    eku = contratista_con_terminos(rfc="EKU9003173C9", razon_social="ESCUELA KEMPER URGATE SA DE CV")
    informativa = services.informativa_sin_informacion_declarar(
        contratista=eku, anio=2025, cuatrimestre=3, usuario=eku.usuario
    )

    with pytest.raises(sat.EfirmaError) as error:
        firmar(informativa, CSD_EKU, usuario=eku.usuario)

    assert error.value.mensaje == "El certificado no es una e.firma (FIEL)."
    informativa.refresh_from_db()
    assert informativa.estatus == Informativa.Estatus.PENDIENTE_FIRMA


def test_the_sat_test_fiel_signs_for_its_own_persona_moral(firma_lista, db):
    from tests.conftest import contratista_con_terminos

    eku = contratista_con_terminos(rfc="EKU9003173C9", razon_social="ESCUELA KEMPER URGATE SA DE CV")
    informativa = services.informativa_sin_informacion_declarar(
        contratista=eku, anio=2025, cuatrimestre=3, usuario=eku.usuario
    )

    informativa = firmar(informativa, FIEL_EKU, usuario=eku.usuario)

    assert informativa.numero_certificado == "30001000000500003415"
    assert acuses.acuse_verificar(folio=informativa.folio_definitivo).valida


def test_signing_without_the_portals_key_is_refused_in_spanish_and_nothing_changes(
    pendiente, fiel, contratista, settings, tmp_path
):
    settings.ICSOE_SIGNING_KEY = str(tmp_path / "sello-portal" / "no-existe.key")

    with pytest.raises(ValidationError) as error:
        firmar(pendiente, fiel, usuario=contratista.usuario)

    assert error.value.messages == ["No fue posible sellar el acuse en este momento. Inténtalo más tarde."]
    _nada_cambio(pendiente)


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_the_folio_keeps_it_reserved_and_the_informativa_pending(
    pendiente, fiel, contratista, settings, tmp_path
):
    from contratistas.models import Contratista

    Contratista.objects.filter(pk=contratista.pk).update(correo="")  # no email for the worker to send
    archivo = tmp_path / "un-archivo"
    archivo.write_bytes(b"")
    settings.MEDIA_ROOT = archivo / "media"  # the acuse PDF cannot be stored under a file

    with pytest.raises(OSError):
        firmar(pendiente, fiel, usuario=contratista.usuario)

    _nada_cambio(pendiente, salvo_el_folio=True)
    # The folio was committed in its own short transaction, before the PDF was rendered: the counter moved
    # although the signing rolled back, so it was not held locked through the rendering; the informativa
    # keeps it reserved.
    assert FolioContador.objects.get(serie="N26").ultimo == 1
    assert pendiente.folio_reservado == "N260000001"
    settings.MEDIA_ROOT = tmp_path / "media"
    presentada = firmar(pendiente, fiel, usuario=contratista.usuario)
    assert presentada.folio_definitivo == "N260000001"  # the next Validar signs the same folio: no gap
    assert FolioContador.objects.get(serie="N26").ultimo == 1
    assert acuses.acuse_verificar(folio=presentada.folio_definitivo).valida


def test_a_capturista_cannot_sign(pendiente, fiel, capturista):
    with pytest.raises(PermissionDenied):
        firmar(pendiente, fiel, usuario=capturista)

    _nada_cambio(pendiente)


def test_only_a_pending_informativa_can_be_signed(informativa, fiel, contratista):
    with pytest.raises(ValidationError, match="Sólo una informativa pendiente de firma puede firmarse."):
        firmar(informativa, fiel, usuario=contratista.usuario)


def test_a_presented_informativa_cannot_be_signed_again_nor_edited(pendiente, fiel, contratista, trabajador):
    firmar(pendiente, fiel, usuario=contratista.usuario)

    with pytest.raises(ValidationError, match="ya fue presentada"):
        firmar(pendiente, fiel, usuario=contratista.usuario)
    with pytest.raises(ValidationError, match="ya fue presentada"):
        services.trabajador_eliminar(trabajador=trabajador, usuario=contratista.usuario)
    with pytest.raises(ValidationError, match="ya fue presentada"):
        services.informativa_eliminar(informativa=pendiente, usuario=contratista.usuario)
    with pytest.raises(ValidationError, match="Sólo una informativa pendiente de firma"):
        services.informativa_regresar_a_captura(informativa=pendiente, usuario=contratista.usuario)
    assert Trabajador.objects.filter(pk=trabajador.pk).exists()


def test_a_second_normal_for_the_period_cannot_be_created(pendiente, fiel, contratista):
    firmar(pendiente, fiel, usuario=contratista.usuario)

    with pytest.raises(ValidationError, match="Ya existe una informativa Normal"):
        services.informativa_crear(
            contratista=contratista, anio=2026, cuatrimestre=1, tipo="NORMAL", usuario=contratista.usuario
        )


def test_a_second_normal_cannot_be_presented_once_a_correccion_replaced_the_first(pendiente, fiel, contratista):
    firmar(pendiente, fiel, usuario=contratista.usuario)
    correccion = presentacion.complementaria_crear(origen=pendiente, tipo="CORRECCION", usuario=contratista.usuario)
    services.informativa_enviar_a_firma(informativa=correccion, usuario=contratista.usuario)
    firmar(correccion, fiel, usuario=contratista.usuario)
    # The period is closed to new Normals at creation...
    with pytest.raises(ValidationError, match="ya tiene una informativa complementaria presentada"):
        services.informativa_crear(
            contratista=contratista, anio=2026, cuatrimestre=1, tipo="NORMAL", usuario=contratista.usuario
        )
    # ...and at signing, even for one slipped into the database behind the services' back.
    segunda = Informativa.objects.create(
        contratista=contratista,
        anio=2026,
        cuatrimestre=1,
        tipo="SIN_INFORMACION",
        estatus=Informativa.Estatus.PENDIENTE_FIRMA,
    )
    with pytest.raises(ValidationError, match="ya tiene una informativa complementaria presentada"):
        firmar(segunda, fiel, usuario=contratista.usuario)
    segunda.refresh_from_db()
    assert segunda.estatus == Informativa.Estatus.PENDIENTE_FIRMA and segunda.folio_definitivo == ""


# ----------------------------------------------------------------------------------------------------------
# What may change after signing without breaking an acuse: the SEPOMEX catalog and the portal's key
# ----------------------------------------------------------------------------------------------------------
ENCABEZADO_SEPOMEX = (
    "d_codigo|d_asenta|d_tipo_asenta|D_mnpio|d_estado|d_ciudad|d_CP|c_estado|c_oficina|c_CP|c_tipo_asenta|"
    "c_mnpio|id_asenta_cpcons|d_zona|c_cve_ciudad"
)


def _catalogo_sepomex(san_angel: str) -> bytes:
    """A catalog file as Correos de México publishes it (Latin-1 TXT): two colonias of Álvaro Obregón."""
    filas = [
        f"01000|{san_angel}|Colonia|Álvaro Obregón|Ciudad de México|Ciudad de México|01001|09|01001||09|010|0001|Urbano|01",
        "01049|Tlacopac|Colonia|Álvaro Obregón|Ciudad de México|Ciudad de México|01001|09|01001||09|010|0013|Urbano|01",
    ]
    return "\n".join(["Catálogo Nacional de Códigos Postales", ENCABEZADO_SEPOMEX, *filas, ""]).encode("latin-1")


@pytest.fixture
def colonias(db):
    from contratistas.models import Asentamiento
    from contratistas.services import sepomex_importar

    sepomex_importar(contenido=_catalogo_sepomex("San Ángel"))
    return {
        "san_angel": Asentamiento.objects.get(codigo_postal__codigo="01000", clave="0001"),
        "tlacopac": Asentamiento.objects.get(codigo_postal__codigo="01049", clave="0013"),
    }


@pytest.fixture
def presentada_con_domicilio(pendiente, fiel, contratista, colonias):
    """The Normal of 2026-1 with its own domicilio convencional in San Ángel, presented."""
    usuario = contratista.usuario
    services.informativa_regresar_a_captura(informativa=pendiente, usuario=usuario)
    domicilio = {"asentamiento": colonias["san_angel"], "calle": "AV. INSURGENTES SUR", "numero_exterior": "1000"}
    services.informativa_contratista_guardar(informativa=pendiente, igual_fiscal=False, domicilio=domicilio, usuario=usuario)
    services.informativa_enviar_a_firma(informativa=pendiente, usuario=usuario)
    return firmar(pendiente, fiel, usuario=usuario)


def test_a_sepomex_reimport_that_renames_a_colonia_leaves_the_acuse_valid(presentada_con_domicilio, colonias):
    from contratistas.services import sepomex_importar

    san_angel = colonias["san_angel"]
    nombre_al_firmar = san_angel.nombre
    acuse = presentada_con_domicilio.acuse
    assert acuse.colonias == {str(san_angel.pk): {"codigo_postal": "01000", "colonia": nombre_al_firmar}}

    sepomex_importar(contenido=_catalogo_sepomex("San Ángel Inn"))  # Correos de México publishes a newer file

    san_angel.refresh_from_db()
    assert san_angel.nombre != nombre_al_firmar and "INN" in san_angel.nombre.upper()
    verificacion = acuses.acuse_verificar(folio=presentada_con_domicilio.folio_definitivo)
    assert verificacion.valida, verificacion.problemas


@pytest.mark.parametrize("alteracion", ["otra_colonia", "otra_calle", "colonia_congelada"])
def test_changing_a_stored_domicilio_or_its_frozen_colonia_is_detected(presentada_con_domicilio, colonias, alteracion):
    from contratistas.models import Domicilio

    domicilio = Domicilio.objects.filter(pk=presentada_con_domicilio.domicilio_convencional_id)
    if alteracion == "otra_colonia":
        domicilio.update(asentamiento=colonias["tlacopac"])
    elif alteracion == "otra_calle":
        domicilio.update(calle="AV. REVOLUCIÓN")
    else:
        clave = str(colonias["san_angel"].pk)
        Acuse.objects.filter(pk=presentada_con_domicilio.acuse.pk).update(
            colonias={clave: {"codigo_postal": "01000", "colonia": "CHIMALISTAC"}}
        )

    resultado = acuses.acuse_verificar(folio=presentada_con_domicilio.folio_definitivo)

    assert not resultado.valida
    assert acuses.MENSAJE_CONTENIDO in resultado.problemas


def test_an_acuse_stored_before_the_snapshots_still_verifies_and_the_migration_fills_them(presentada_con_domicilio):
    import importlib

    from django.apps import apps

    from firma.services import sello_portal

    acuse = presentada_con_domicilio.acuse
    congeladas = acuse.colonias
    Acuse.objects.filter(pk=acuse.pk).update(colonias={}, portal_certificado=b"")
    # Without them: the colonias from the catalog as it stands, the portal certificate by its número
    assert acuses.acuse_verificar(folio=presentada_con_domicilio.folio_definitivo).valida

    migracion = importlib.import_module("informativas.migrations.0004_acuse_certificado_portal_y_colonias")
    migracion.llenar(apps, None)

    acuse.refresh_from_db()
    assert acuse.colonias == congeladas
    assert bytes(acuse.portal_certificado) == sello_portal().certificado.der
    assert acuses.acuse_verificar(folio=presentada_con_domicilio.folio_definitivo).valida


@pytest.fixture
def sello_de_la_prueba(settings, firma_lista, tmp_path):
    """The portal's pair copied into this test's folder, so that rotating it touches no other test."""
    carpeta = tmp_path / "sello-portal"
    carpeta.mkdir()
    shutil.copy(firma_lista["sello_cer"], carpeta / "portal.cer")
    shutil.copy(firma_lista["sello_key"], carpeta / "portal.key")
    settings.ICSOE_SIGNING_CERT = str(carpeta / "portal.cer")
    settings.ICSOE_SIGNING_KEY = str(carpeta / "portal.key")
    return carpeta


def test_rotating_the_portals_key_keeps_earlier_acuses_verifiable(
    sello_de_la_prueba, pendiente, fiel, contratista, settings, tmp_path
):
    from firma.services import sello_portal, sello_portal_demo_emitir

    anterior = firmar(pendiente, fiel, usuario=contratista.usuario)
    certificado_anterior = tmp_path / "portal-2026.cer"
    shutil.copy(settings.ICSOE_SIGNING_CERT, certificado_anterior)  # docs/operations.md: keep the old certificate
    assert bytes(anterior.acuse.portal_certificado) == sat.cargar_certificado(certificado_anterior.read_bytes()).der

    sello_portal_demo_emitir(reemplazar=True)  # a new pair at the configured paths, as `make run` makes one

    nuevo = sello_portal().certificado
    assert nuevo.numero_certificado != anterior.acuse.portal_numero_certificado
    # Until the old certificate is listed, nothing tells the portal it was ever its own
    problemas = acuses.acuse_verificar(folio=anterior.folio_definitivo).problemas
    assert problemas == [acuses.MENSAJE_PORTAL_DESCONOCIDO]
    settings.ICSOE_SIGNING_PREVIOUS_CERTS = [str(certificado_anterior)]
    verificacion = acuses.acuse_verificar(folio=anterior.folio_definitivo)
    assert verificacion.valida, verificacion.problemas

    # A new filing is sealed with the new key, and verifies with the new certificate only
    nueva = services.informativa_sin_informacion_declarar(
        contratista=contratista, anio=2025, cuatrimestre=3, usuario=contratista.usuario
    )
    nueva = firmar(nueva, fiel, usuario=contratista.usuario)
    assert nueva.acuse.portal_numero_certificado == nuevo.numero_certificado
    assert bytes(nueva.acuse.portal_certificado) == nuevo.der
    assert acuses.acuse_verificar(folio=nueva.folio_definitivo).valida
    sellado = acuses.datos_sello_portal(nueva.cadena_original, nueva.firma_b64)
    viejo = sat.cargar_certificado(certificado_anterior.read_bytes())
    assert not sat.verificar(viejo, sellado, base64.b64decode(nueva.acuse.sello_portal))


# ----------------------------------------------------------------------------------------------------------
# The admin: a row opened while pending cannot be saved once signed (the rest: test_firma_admin.py)
# ----------------------------------------------------------------------------------------------------------
def test_the_admin_refuses_to_save_a_row_whose_informativa_was_signed_after_the_page_opened(
    pendiente, fiel, contratista, trabajador, staff, rf
):
    from django.contrib import admin as django_admin

    from informativas.admin import MENSAJE_CERRADA, TrabajadorAdmin

    pagina = TrabajadorAdmin(Trabajador, django_admin.site)
    request = rf.post("/admin/informativas/trabajador/")
    request.user = staff
    assert pagina.has_change_permission(request, trabajador)  # the page was opened while pending...
    presentada = firmar(pendiente, fiel, usuario=contratista.usuario)  # ...and the contratista signed meanwhile

    trabajador.sbc = Decimal("999.99")
    with pytest.raises(PermissionDenied, match=MENSAJE_CERRADA):
        pagina.save_model(request, trabajador, form=None, change=True)
    with pytest.raises(PermissionDenied, match=MENSAJE_CERRADA):
        pagina.delete_model(request, trabajador)

    assert Trabajador.objects.get(pk=trabajador.pk).sbc == Decimal("452.37")
    assert acuses.acuse_verificar(folio=presentada.folio_definitivo).valida


# ----------------------------------------------------------------------------------------------------------
# The email, through the real Celery worker and SMTP sink
# ----------------------------------------------------------------------------------------------------------
@requiere_servicios
@pytest.mark.django_db(transaction=True)
def test_the_acuse_email_reaches_the_contratista_with_the_pdf_through_the_worker(
    settings, pendiente, fiel, contratista, smtp_sink
):
    import os
    from pathlib import Path

    settings.MEDIA_ROOT = Path(os.environ["ICSOE_VAR_DIR"]) / "media"  # the worker reads the attachment there

    informativa = firmar(pendiente, fiel, usuario=contratista.usuario)

    mensaje = smtp_sink.esperar(para="contacto@esi.example.mx", asunto_contiene=informativa.folio_definitivo)
    assert informativa.folio_definitivo in texto_de(mensaje)
    adjuntos = [p for p in mensaje.walk() if p.get_content_type() == "application/pdf"]
    assert len(adjuntos) == 1
    assert adjuntos[0].get_filename() == f"Acuse-{informativa.folio_definitivo}.pdf"
    assert hashlib.sha256(adjuntos[0].get_payload(decode=True)).hexdigest() == informativa.acuse.pdf_sha256
