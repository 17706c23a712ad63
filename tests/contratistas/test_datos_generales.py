"""Información del contratista: datos generales, domicilio fiscal and social, acuse STPS. Every failure shows
its Spanish message, keeps what was typed and stores nothing."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from contratistas.models import AcuseStps, Asentamiento, Contratista, Domicilio
from core.models import Bitacora

from .conftest import MB, PNG, pdf

pytestmark = pytest.mark.django_db

URL = "/contratista/"


def _pdf(nombre: str = "Registro_STPS.pdf", contenido: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(nombre, pdf() if contenido is None else contenido, content_type="application/pdf")


def _datos(**extra: Any) -> dict[str, Any]:
    return {
        "correo": "Contacto@Empresa.com.mx",
        "confirmar_correo": "contacto@empresa.com.mx",
        "celular": "55 1234 5678",
        "telefono_fijo": "",
        "registro_repse": "ar12345/2021",
        "domicilio_social_igual_fiscal": "si",
        "acuse": _pdf(),
        **extra,
    }


def _domicilio_social(asentamiento: Asentamiento, **extra: Any) -> dict[str, Any]:
    return {
        "domicilio_social_igual_fiscal": "no",
        "social-paso": "aceptado",
        "social-conoce_cp": "si",
        "social-codigo_postal": asentamiento.codigo_postal.codigo,
        "social-asentamiento": str(asentamiento.pk),
        "social-calle": "Av. Revolución",
        "social-numero_exterior": "1500",
        "social-numero_interior": "3B",
        "social-entre_calle": "Altavista",
        **extra,
    }


def _sin_cambios(contratista: Contratista) -> None:
    contratista.refresh_from_db()
    assert contratista.correo == ""
    assert contratista.celular == ""
    assert contratista.registro_repse == ""
    assert contratista.domicilio_social_id is None
    assert contratista.datos_generales_completos is False
    assert not AcuseStps.objects.filter(vigente=True).exists()
    assert not Domicilio.objects.exists()
    assert not Bitacora.objects.filter(accion="contratistas.contratista.datos_generales_guardados").exists()


# ----------------------------------------------------------------------------------------------------------
# Access
# ----------------------------------------------------------------------------------------------------------
def test_anonymous_is_sent_to_log_in(client):
    assert client.get(URL).status_code == 302


def test_a_capturista_is_refused(client, capturista, contratista):
    client.force_login(capturista)
    s = client.session
    s["contratista_code"] = str(contratista.code)
    s.save()

    assert client.get(URL).status_code == 403
    assert client.post(URL, _datos()).status_code == 403
    assert not AcuseStps.objects.exists()


def test_the_persona_moral_sees_the_guide_labels_and_the_domicilio_social_question(client, contratista, padron_fiscal):
    client.force_login(contratista.usuario)

    html = client.get(URL).content.decode()

    for texto in (
        "Captura el correo electrónico, número de teléfono y domicilio social del contratista.",
        "Correo electrónico*:",
        "Celular*:",
        "Teléfono fijo:",
        "¿El domicilio social del contratista es igual a su domicilio fiscal?",
        "Carga y adjunto de documentos",
        "Acuse de registro en padrón de la STPS*:",
        "Archivo con extensión: .pdf, 5MB máx",
        "PASEO DE LA REFORMA",
        "Domicilio fiscal registrado ante el SAT.",
    ):
        assert texto in html


def test_the_persona_fisica_never_sees_the_domicilio_social(client, otro_contratista, padron_fiscal_fisica):
    client.force_login(otro_contratista.usuario)

    html = client.get(URL).content.decode()

    assert "domicilio social del contratista es igual" not in html
    assert "Ubicar domicilio geográfico nacional" not in html


# ----------------------------------------------------------------------------------------------------------
# Guardar
# ----------------------------------------------------------------------------------------------------------
def test_a_persona_moral_saves_with_domicilio_social_igual_al_fiscal(client, contratista, padron_fiscal):
    client.force_login(contratista.usuario)
    contenido = pdf(paginas=2)

    respuesta = client.post(URL, _datos(acuse=_pdf(contenido=contenido)), follow=True)

    assert "Los datos generales del contratista se guardaron exitosamente." in respuesta.content.decode()
    contratista.refresh_from_db()
    assert (contratista.correo, contratista.celular, contratista.registro_repse) == (
        "contacto@empresa.com.mx",
        "5512345678",
        "AR12345/2021",
    )
    assert contratista.domicilio_social_igual_fiscal is True
    assert contratista.datos_generales_completos is True
    acuse = AcuseStps.objects.get(contratista=contratista, vigente=True)
    assert acuse.nombre == "Registro_STPS.pdf"
    assert acuse.sha256 == hashlib.sha256(contenido).hexdigest()
    with acuse.archivo.open("rb") as f:
        assert len(PdfReader(f).pages) == 2
    entrada = Bitacora.objects.get(accion="contratistas.contratista.datos_generales_guardados")
    assert {"correo", "celular", "registro_repse", "acuse_stps"} <= set(entrada.datos["campos"])
    assert entrada.usuario == contratista.usuario


def test_a_persona_moral_saves_a_domicilio_social_from_the_catalog(client, contratista, padron_fiscal, sepomex):
    client.force_login(contratista.usuario)
    san_angel = Asentamiento.objects.get(codigo_postal__codigo="01000")

    respuesta = client.post(URL, _datos(**_domicilio_social(san_angel)))

    assert respuesta.status_code == 302
    contratista.refresh_from_db()
    assert contratista.domicilio_social_igual_fiscal is False
    d = contratista.domicilio_social
    assert (d.asentamiento, d.calle, d.numero_exterior, d.numero_interior, d.entre_calle) == (
        san_angel,
        "AV. REVOLUCIÓN",
        "1500",
        "3B",
        "ALTAVISTA",
    )
    html = client.get(URL).content.decode()
    assert "Domicilio social aceptado" in html
    assert "AV. REVOLUCIÓN" in html


def test_changing_to_si_removes_the_stored_domicilio_social(client, contratista, padron_fiscal, sepomex):
    client.force_login(contratista.usuario)
    client.post(URL, _datos(**_domicilio_social(Asentamiento.objects.get(codigo_postal__codigo="01000"))))

    client.post(URL, _datos(acuse=""))

    contratista.refresh_from_db()
    assert contratista.domicilio_social is None
    assert not Domicilio.objects.exists()
    assert AcuseStps.objects.filter(contratista=contratista, vigente=True).count() == 1


def test_a_second_acuse_replaces_the_first_and_its_file(
    client, contratista, padron_fiscal, django_capture_on_commit_callbacks
):
    client.force_login(contratista.usuario)
    client.post(URL, _datos())
    primero = AcuseStps.objects.get(vigente=True)
    ruta = primero.archivo.path

    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, _datos(acuse=_pdf("Nuevo.pdf")))

    assert AcuseStps.objects.get(vigente=True).nombre == "Nuevo.pdf"
    assert AcuseStps.objects.count() == 1
    import os

    assert not os.path.exists(ruta)


# ----------------------------------------------------------------------------------------------------------
# Failure paths: a clear message, what was typed kept, nothing stored
# ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("archivo", "mensaje"),
    [
        (lambda: _pdf("Grande.pdf", pdf(relleno=6 * MB)), "El archivo excede el tamaño máximo de 5 MB."),
        (lambda: _pdf("Imagen.pdf", PNG), "El archivo no es un PDF. Adjunta el acuse en formato PDF."),
        (lambda: _pdf("Vacio.pdf", b""), "El archivo está vacío."),
        (lambda: _pdf("Roto.pdf", b"%PDF-1.7\n" + b"basura" * 100), "El archivo PDF está dañado o no se puede leer."),
    ],
    ids=["6MB", "png", "vacio", "roto"],
)
def test_a_bad_acuse_is_refused(client, contratista, padron_fiscal, archivo, mensaje):
    client.force_login(contratista.usuario)

    respuesta = client.post(URL, _datos(acuse=archivo()))

    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert mensaje in html
    assert 'value="contacto@empresa.com.mx"' in html
    assert 'value="55 1234 5678"' in html
    _sin_cambios(contratista)
    assert not AcuseStps.objects.exists()


def test_the_6mb_pdf_really_is_a_readable_pdf_over_the_limit():
    contenido = pdf(relleno=6 * MB)
    import io

    assert len(contenido) > 6 * MB
    assert len(PdfReader(io.BytesIO(contenido)).pages) == 1


def test_no_acuse_at_all_is_refused(client, contratista, padron_fiscal):
    client.force_login(contratista.usuario)

    respuesta = client.post(URL, _datos(acuse=""))

    assert "Adjunta el acuse de registro en padrón de la STPS (PDF)." in respuesta.content.decode()
    _sin_cambios(contratista)


@pytest.mark.parametrize(
    ("cambios", "mensaje"),
    [
        ({"correo": "contacto@@empresa", "confirmar_correo": "contacto@@empresa"}, "Captura un correo electrónico válido"),
        ({"confirmar_correo": "otro@empresa.com.mx"}, "Los correos electrónicos no coinciden."),
        ({"celular": "55123"}, "El celular debe tener 10 dígitos."),
        ({"celular": "55-1234-567X"}, "El celular debe tener 10 dígitos."),
        ({"telefono_fijo": "12345"}, "El teléfono fijo debe tener 10 dígitos (lada y número)."),
        ({"registro_repse": ""}, "Captura el número de registro REPSE."),
        ({"domicilio_social_igual_fiscal": ""}, "Indica si el domicilio social es igual al domicilio fiscal."),
    ],
    ids=["correo", "confirmacion", "celular-corto", "celular-letras", "fijo", "repse", "pregunta"],
)
def test_invalid_contact_data_is_refused_and_kept(client, contratista, padron_fiscal, cambios, mensaje):
    client.force_login(contratista.usuario)

    respuesta = client.post(URL, _datos(**cambios))

    html = respuesta.content.decode()
    assert mensaje in html
    assert "Revisa los campos marcados; no se guardó ningún dato." in html
    for campo in ("correo", "celular"):
        valor = cambios.get(campo, _datos()[campo])
        assert f'value="{valor}"' in html
    _sin_cambios(contratista)


def test_an_unknown_codigo_postal_is_refused_and_the_street_is_kept(client, contratista, padron_fiscal, sepomex):
    client.force_login(contratista.usuario)
    datos = _datos(
        **_domicilio_social(Asentamiento.objects.get(codigo_postal__codigo="01000"), **{"social-codigo_postal": "99999"})
    )

    respuesta = client.post(URL, datos)

    html = respuesta.content.decode()
    assert "El código postal no existe en el catálogo de SEPOMEX." in html
    assert "Paso 1/3" in html
    assert 'value="99999"' in html
    assert 'name="social-calle" value="Av. Revolución"' in html  # carried while Paso 1 is corrected
    _sin_cambios(contratista)


def test_a_valid_pdf_survives_other_errors_and_is_saved_once_they_are_fixed(client, contratista, padron_fiscal):
    client.force_login(contratista.usuario)

    html = client.post(URL, _datos(celular="123")).content.decode()

    pendiente = AcuseStps.objects.get(contratista=contratista)
    assert pendiente.vigente is False
    assert f'name="acuse_pendiente" value="{pendiente.code}"' in html
    assert "Registro_STPS.pdf" in html
    _sin_cambios(contratista)

    respuesta = client.post(URL, _datos(acuse="", acuse_pendiente=str(pendiente.code)))

    assert respuesta.status_code == 302
    pendiente.refresh_from_db()
    assert pendiente.vigente is True


def test_another_contratistas_pending_upload_cannot_be_attached(client, contratista, otro_contratista, padron_fiscal):
    client.force_login(otro_contratista.usuario)
    client.post(URL, _datos(celular="1"))
    ajeno = AcuseStps.objects.get(contratista=otro_contratista)
    client.force_login(contratista.usuario)

    respuesta = client.post(URL, _datos(acuse="", acuse_pendiente=str(ajeno.code)))

    assert "Adjunta el acuse de registro en padrón de la STPS (PDF)." in respuesta.content.decode()
    _sin_cambios(contratista)


# ----------------------------------------------------------------------------------------------------------
# Domicilio fiscal captured once when the SAT registry does not know it
# ----------------------------------------------------------------------------------------------------------
def test_without_the_sat_registry_the_domicilio_fiscal_is_captured_once(client, otro_contratista, sepomex):
    client.force_login(otro_contratista.usuario)
    assert "Captura tu domicilio fiscal" in client.get(URL).content.decode()
    centro = Asentamiento.objects.get(codigo_postal__codigo="44100")

    sin_domicilio = client.post(URL, _datos())
    assert "Captura el código postal." in sin_domicilio.content.decode()
    assert not Domicilio.objects.exists()

    respuesta = client.post(
        URL,
        _datos(
            **{
                "fiscal-conoce_cp": "si",
                "fiscal-codigo_postal": "44100",
                "fiscal-asentamiento": str(centro.pk),
                "fiscal-calle": "Av. Juárez",
                "fiscal-sin_numero": "on",
            }
        ),
    )

    assert respuesta.status_code == 302
    otro_contratista.refresh_from_db()
    assert otro_contratista.domicilio_fiscal.asentamiento == centro
    assert otro_contratista.domicilio_fiscal.sin_numero is True
    html = client.get(URL).content.decode()
    assert "Captura tu domicilio fiscal" not in html
    assert "Domicilio fiscal capturado por el contratista." in html


# ----------------------------------------------------------------------------------------------------------
# The three steps without JavaScript
# ----------------------------------------------------------------------------------------------------------
def test_the_three_steps_of_ubicar_domicilio_keep_everything_typed(client, contratista, padron_fiscal, sepomex):
    client.force_login(contratista.usuario)
    tlacopac = Asentamiento.objects.get(codigo_postal__codigo="01049")
    base = {"correo": "a@b.mx", "celular": "5512345678", "domicilio_social_igual_fiscal": "no"}

    paso1 = client.post("/contratista/domicilio/ubicar/", {**base, "social-paso": "1", "social-codigo_postal": "01049"})
    assert "Selecciona la colonia." in paso1.content.decode()
    assert "Tlacopac" in paso1.content.decode()

    paso2 = client.post(
        "/contratista/domicilio/ubicar/",
        {**base, "social-paso": "1", "social-codigo_postal": "01049", "social-asentamiento": str(tlacopac.pk)},
    )
    html = paso2.content.decode()
    assert "Paso 2/3" in html
    assert "Captura la calle." not in html  # the next step's errors are not shown before it is filled
    assert 'value="a@b.mx"' in html

    paso3_incompleto = client.post(
        "/contratista/domicilio/ubicar/",
        {**base, "social-paso": "2", "social-codigo_postal": "01049", "social-asentamiento": str(tlacopac.pk),
         "social-calle": "Insurgentes Sur"},
    )
    assert "Captura el número exterior o marca Sin número." in paso3_incompleto.content.decode()

    datos3 = {**base, "social-paso": "2", "social-codigo_postal": "01049", "social-asentamiento": str(tlacopac.pk),
              "social-calle": "Insurgentes Sur", "social-sin_numero": "on"}
    html = client.post("/contratista/domicilio/ubicar/", datos3).content.decode()
    assert "Paso 3/3" in html
    for texto in ("01049", "Ciudad de México", "Álvaro Obregón", "Tlacopac", "INSURGENTES SUR", "Sin número"):
        assert texto in html

    aceptado = client.post("/contratista/domicilio/aceptar/", {**datos3, "social-paso": "3"}).content.decode()
    assert "Domicilio social aceptado" in aceptado
    assert 'name="social-paso" value="aceptado"' in aceptado
    _sin_cambios(contratista)


def test_without_the_codigo_postal_estado_and_municipio_find_it(client, contratista, padron_fiscal, sepomex):
    client.force_login(contratista.usuario)
    from contratistas.models import Estado, Municipio

    cdmx = Estado.objects.get(clave="09")
    coyoacan = Municipio.objects.get(estado=cdmx, clave="003")
    base = {"domicilio_social_igual_fiscal": "no", "social-paso": "1", "social-conoce_cp": "no"}

    sin_municipio = client.post("/contratista/domicilio/ubicar/", {**base, "social-estado": str(cdmx.pk)}).content.decode()
    assert "Selecciona el municipio o alcaldía." in sin_municipio
    assert "Coyoacán" in sin_municipio

    con_municipio = client.post(
        "/contratista/domicilio/ubicar/",
        {**base, "social-estado": str(cdmx.pk), "social-municipio": str(coyoacan.pk)},
    ).content.decode()
    assert '<option value="04510"' in con_municipio

    ciudad_universitaria = Asentamiento.objects.get(codigo_postal__codigo="04510")
    listo = client.post(
        "/contratista/domicilio/ubicar/",
        {**base, "social-estado": str(cdmx.pk), "social-municipio": str(coyoacan.pk),
         "social-codigo_postal_lista": "04510", "social-asentamiento": str(ciudad_universitaria.pk)},
    ).content.decode()
    assert "Paso 2/3" in listo
    assert 'name="social-codigo_postal" value="04510"' in listo


def test_the_catalog_lookups_answer_options(client, contratista, sepomex):
    client.force_login(contratista.usuario)
    from contratistas.models import Estado

    colonias = client.get("/contratista/catalogo/colonias/", {"social-codigo_postal": "15520"}).content.decode()
    assert "Peñón de los Baños" in colonias
    municipios = client.get(
        "/contratista/catalogo/municipios/", {"social-estado": Estado.objects.get(clave="14").pk}
    ).content.decode()
    assert "San Pedro Tlaquepaque" in municipios
    assert "Coyoacán" not in municipios


# ----------------------------------------------------------------------------------------------------------
# Ver archivo and Eliminar
# ----------------------------------------------------------------------------------------------------------
@pytest.fixture
def acuse_guardado(client, contratista, padron_fiscal):
    client.force_login(contratista.usuario)
    client.post(URL, _datos())
    client.logout()
    return AcuseStps.objects.get(contratista=contratista, vigente=True)


def test_the_owner_sees_its_pdf_inline(client, contratista, acuse_guardado):
    client.force_login(contratista.usuario)

    respuesta = client.get(f"/contratista/acuse-stps/{acuse_guardado.code}/")

    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "application/pdf"
    assert respuesta["Content-Disposition"].startswith("inline")
    assert respuesta["Cache-Control"] == "private, no-store"
    assert hashlib.sha256(b"".join(respuesta.streaming_content)).hexdigest() == acuse_guardado.sha256


def test_staff_can_read_any_acuse(client, staff, acuse_guardado):
    client.force_login(staff)

    assert client.get(f"/contratista/acuse-stps/{acuse_guardado.code}/").status_code == 200


def test_another_contratista_or_a_capturista_gets_404(client, otro_contratista, capturista, contratista, acuse_guardado):
    url = f"/contratista/acuse-stps/{acuse_guardado.code}/"
    client.force_login(otro_contratista.usuario)
    assert client.get(url).status_code == 404

    client.force_login(capturista)
    s = client.session
    s["contratista_code"] = str(contratista.code)
    s.save()
    assert client.get(url).status_code == 404

    client.logout()
    assert client.get(url).status_code == 302


def test_the_file_is_not_under_a_public_media_url(client, contratista, acuse_guardado):
    client.force_login(contratista.usuario)

    assert client.get(acuse_guardado.archivo.url).status_code == 404


def test_eliminar_asks_first_then_deletes_the_file(
    client, contratista, acuse_guardado, django_capture_on_commit_callbacks
):
    import os

    client.force_login(contratista.usuario)
    ruta = acuse_guardado.archivo.path

    confirmacion = client.get("/contratista/acuse-stps/eliminar/").content.decode()
    assert "¿Deseas eliminar el acuse de registro en padrón de la STPS" in confirmacion
    assert AcuseStps.objects.filter(pk=acuse_guardado.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        respuesta = client.post("/contratista/acuse-stps/eliminar/", follow=True)

    assert "Se eliminó el acuse de registro en padrón de la STPS." in respuesta.content.decode()
    assert not AcuseStps.objects.exists()
    assert not os.path.exists(ruta)
    contratista.refresh_from_db()
    assert contratista.datos_generales_completos is False
    assert Bitacora.objects.filter(accion="contratistas.acuse_stps.eliminado").count() == 1


def test_a_capturista_cannot_delete_the_acuse(client, capturista, contratista, acuse_guardado):
    client.force_login(capturista)
    s = client.session
    s["contratista_code"] = str(contratista.code)
    s.save()

    assert client.post("/contratista/acuse-stps/eliminar/").status_code == 403
    assert AcuseStps.objects.filter(pk=acuse_guardado.pk).exists()


# ----------------------------------------------------------------------------------------------------------
# The welcome after the términos
# ----------------------------------------------------------------------------------------------------------
def test_the_welcome_leads_to_the_datos_generales_until_they_are_saved(client, contratista, padron_fiscal):
    client.force_login(contratista.usuario)

    bienvenida = client.get("/acceso/efirma/bienvenida/")
    assert "Por favor ingresa tus datos generales." in bienvenida.content.decode()
    assert f'href="{URL}"' in bienvenida.content.decode()

    client.post(URL, _datos())

    assert client.get("/acceso/efirma/bienvenida/").status_code == 302


# ----------------------------------------------------------------------------------------------------------
# Issue 14: colonias of a código postal picked from the municipio's list; the acuse downloaded; REPSE format
# ----------------------------------------------------------------------------------------------------------
def test_the_colonias_lookup_reads_a_codigo_postal_picked_from_the_municipios_list(client, contratista, sepomex):
    client.force_login(contratista.usuario)

    colonias = client.get("/contratista/catalogo/colonias/", {"social-codigo_postal_lista": "15520"}).content.decode()

    assert "Peñón de los Baños" in colonias


def test_descargar_serves_the_same_pdf_as_an_attachment(client, contratista, acuse_guardado):
    client.force_login(contratista.usuario)

    respuesta = client.get(f"/contratista/acuse-stps/{acuse_guardado.code}/", {"descargar": "1"})

    assert respuesta.status_code == 200
    assert respuesta["Content-Disposition"].startswith("attachment")
    assert acuse_guardado.nombre in respuesta["Content-Disposition"]
    assert respuesta["Cache-Control"] == "private, no-store"
    assert hashlib.sha256(b"".join(respuesta.streaming_content)).hexdigest() == acuse_guardado.sha256


def test_another_contratista_cannot_download_it(client, otro_contratista, acuse_guardado):
    client.force_login(otro_contratista.usuario)

    assert client.get(f"/contratista/acuse-stps/{acuse_guardado.code}/", {"descargar": "1"}).status_code == 404


@pytest.mark.parametrize("numero", ["AR12345/2021", "AR1/2026", "AR9876543/2024"])
def test_the_registro_repse_accepts_the_stps_format(numero):
    from contratistas.validators import RegistroRepseValidator

    RegistroRepseValidator()(numero)


@pytest.mark.parametrize("numero", ["xxx", "XXX", "AR12345", "AR12345-2021", "AB12345/2021", "AR12345/2020", "AR 1/2021"])
def test_the_registro_repse_refuses_anything_else_with_its_own_message(numero):
    from django.core.exceptions import ValidationError

    from contratistas.validators import RegistroRepseValidator

    with pytest.raises(ValidationError) as error:
        RegistroRepseValidator()(numero)

    assert error.value.code == "registro_repse"
    assert "AR, los dígitos del registro, una diagonal y el año" in error.value.messages[0]
