"""The views of Firma y presentación, Acuses de presentación, Modificar presentación and /verificar-acuse/:
happy path, anonymous, another contratista (404) and the capturista (sees lists, cannot sign). What the views
show of a presented informativa (its acuse, its verification, Modificar): test_vistas_acuses.py."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from informativas.folios import folio_informativa
from informativas.models import Acuse, FolioContador, Informativa, Trabajador
from informativas.presentacion import acuses
from tests.efirma_sat import FIEL_EKU
from tests.firma_navegador import enviar, firmar_en_pagina, firmar_texto, llave_descifrar, validar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


def _urls(informativa) -> dict[str, str]:
    return {
        "url_validar": reverse("informativas:firmar_validar", args=[informativa.code]),
        "url_enviar": reverse("informativas:firmar", args=[informativa.code]),
    }


def _firmar(client, informativa, efirma, **extra):
    """The Firmar page's two requests, signed as the page signs (tests/firma_navegador.py)."""
    return firmar_en_pagina(client, efirma=efirma, **_urls(informativa), **extra)


def _validar(client, informativa, efirma, rfc=None) -> dict:
    return validar(client, _urls(informativa)["url_validar"], cer=efirma.cer, rfc=rfc or efirma.rfc)


def _enviar(client, informativa, efirma, reto: dict, *, firma: str | None = None):
    if firma is None:
        llave = llave_descifrar(cer=efirma.cer, key=efirma.key, password=efirma.password)
        firma = firmar_texto(llave, reto["mensaje"])
    return enviar(
        client,
        _urls(informativa)["url_enviar"],
        cer=efirma.cer,
        rfc=efirma.rfc,
        reto=reto["reto"],
        firma=firma,
    )


def _folio(reto: dict) -> str:
    """The folio in the cadena original to sign (its second field)."""
    return reto["mensaje"].strip("|").split("|")[1]


# ----------------------------------------------------------------------------------------------------------
# Firma y presentación
# ----------------------------------------------------------------------------------------------------------
def test_the_contratista_sees_its_pending_informativas_with_firmar(cliente_contratista, pendiente):
    respuesta = cliente_contratista.get(reverse("informativas:firma"))

    assert respuesta.status_code == 200
    assert reverse("informativas:firmar", args=[pendiente.code]) in respuesta.content.decode()


def test_a_capturista_sees_the_list_but_no_firmar(cliente_capturista, pendiente):
    respuesta = cliente_capturista.get(reverse("informativas:firma"))

    contenido = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert str(pendiente.code) in contenido
    assert reverse("informativas:firmar", args=[pendiente.code]) not in contenido
    assert "Sólo el contratista puede firmar" in contenido


def test_a_capturista_cannot_open_or_post_the_signing_page(cliente_capturista, pendiente, fiel):
    url = reverse("informativas:firmar", args=[pendiente.code])

    assert cliente_capturista.get(url).status_code == 403
    assert (
        cliente_capturista.post(url, "rfc=x", content_type="application/x-www-form-urlencoded").status_code
        == 403
    )
    validar_url = reverse("informativas:firmar_validar", args=[pendiente.code])
    assert cliente_capturista.post(validar_url, {"rfc": fiel.rfc}).status_code == 403
    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PENDIENTE_FIRMA


def test_anonymous_is_sent_to_login(client, pendiente):
    respuesta = client.get(reverse("informativas:firmar", args=[pendiente.code]))

    assert respuesta.status_code == 302 and respuesta.url.startswith("/acceso/")


def test_another_contratistas_informativa_answers_404(client, otro_contratista, pendiente, fiel):
    client.force_login(otro_contratista.usuario)

    assert client.get(reverse("informativas:firmar", args=[pendiente.code])).status_code == 404
    assert client.post(reverse("informativas:firmar", args=[pendiente.code]), {"rfc": "x"}).status_code == 404
    assert (
        client.post(reverse("informativas:firmar_validar", args=[pendiente.code]), {"rfc": "x"}).status_code
        == 404
    )


def test_signing_through_the_page_shows_firma_exitosa(cliente_contratista, pendiente, fiel):
    pagina = cliente_contratista.get(reverse("informativas:firmar", args=[pendiente.code]))
    assert "Resumen" in pagina.content.decode() and "Firmar" in pagina.content.decode()

    respuesta = _firmar(cliente_contratista, pendiente, fiel, follow=True)

    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PRESENTADA
    contenido = respuesta.content.decode()
    assert "Firma exitosa" in contenido and "Cerrar" in contenido
    assert pendiente.folio_definitivo in contenido


def test_validar_answers_the_exact_cadena_with_the_folio_and_time_reserved(
    cliente_contratista, pendiente, fiel
):
    antes = timezone.now().replace(microsecond=0)

    reto = _validar(cliente_contratista, pendiente, fiel)

    assert reto["exito"] == "La validación de la FIEL fue exitosa."
    assert reto["cadena_original"] == reto["mensaje"]
    campos = reto["mensaje"].strip("|").split("|")
    assert campos[1] == "N260000001" and campos[2] == "ESI920427886"
    assert FolioContador.objects.get(serie="N26").ultimo == 1  # reserved now
    momento = datetime.datetime.fromisoformat(campos[10])
    assert antes <= momento <= timezone.now()
    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PENDIENTE_FIRMA and pendiente.folio_definitivo == ""

    _enviar(cliente_contratista, pendiente, fiel, reto)

    pendiente.refresh_from_db()
    assert pendiente.cadena_original == reto["mensaje"]  # exactly what the page showed and signed
    assert pendiente.folio_definitivo == "N260000001" and pendiente.fecha_presentacion == momento
    assert acuses.acuse_verificar(folio=pendiente.folio_definitivo).valida


def test_two_tabs_get_two_cadenas_with_the_one_folio_of_the_informativa(cliente_contratista, pendiente, fiel):
    primera = _validar(cliente_contratista, pendiente, fiel)
    segunda = _validar(cliente_contratista, pendiente, fiel)
    assert primera["reto"] != segunda["reto"]
    assert _folio(primera) == _folio(segunda) == "N260000001"

    _enviar(cliente_contratista, pendiente, fiel, segunda)

    pendiente.refresh_from_db()
    assert pendiente.folio_definitivo == "N260000001"
    tarde = _enviar(cliente_contratista, pendiente, fiel, primera)
    assert tarde.status_code == 302 and tarde.url.endswith(
        f"/informativas/{pendiente.code}/"
    )  # no longer pending
    pendiente.refresh_from_db()
    assert pendiente.folio_definitivo == "N260000001"
    assert FolioContador.objects.get(serie="N26").ultimo == 1  # no gap


def test_a_hundred_validar_of_one_informativa_reserve_one_folio_and_the_series_goes_on(
    cliente_contratista, pendiente, fiel
):
    """Issue 24, finding 8: each Validar reserved a new folio of the shared series (100 Validar burnt 100)."""
    folios = {_folio(_validar(cliente_contratista, pendiente, fiel)) for _ in range(100)}

    assert folios == {"N260000001"}
    assert FolioContador.objects.get(serie="N26").ultimo == 1
    assert folio_informativa(tipo=Informativa.Tipo.NORMAL, anio=2026) == "N260000002"  # the series goes on


def test_the_reserved_folio_becomes_final_at_firmar_and_no_later_validar_takes_another(
    cliente_contratista, pendiente, fiel
):
    for _ in range(3):
        _validar(cliente_contratista, pendiente, fiel)
    assert _firmar(cliente_contratista, pendiente, fiel).status_code == 302
    pendiente.refresh_from_db()
    assert pendiente.folio_definitivo == "N260000001"

    despues = _validar(cliente_contratista, pendiente, fiel)

    assert "reto" not in despues  # presented: nothing more to sign
    assert FolioContador.objects.get(serie="N26").ultimo == 1


def test_an_informativa_that_changed_type_reserves_a_folio_of_its_new_series(pendiente):
    from informativas.folios import folio_informativa_reservar

    reservado = folio_informativa_reservar(informativa=pendiente)
    assert reservado == "N260000001" and folio_informativa_reservar(informativa=pendiente) == reservado

    Informativa.objects.filter(pk=pendiente.pk).update(tipo=Informativa.Tipo.SIN_INFORMACION)
    pendiente.refresh_from_db()

    assert folio_informativa_reservar(informativa=pendiente) == "SI260000001"
    assert folio_informativa_reservar(informativa=pendiente) == "SI260000001"


def test_a_change_after_the_cadena_was_issued_is_refused_and_nothing_is_presented(
    cliente_contratista, pendiente, fiel, trabajador
):
    reto = _validar(cliente_contratista, pendiente, fiel)
    Trabajador.objects.filter(pk=trabajador.pk).update(sbc="999.99")  # e.g. staff or a race changed a value

    respuesta = _enviar(cliente_contratista, pendiente, fiel, reto)

    assert respuesta.status_code == 200
    assert "La informativa cambió después de generar la cadena original." in respuesta.content.decode()
    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PENDIENTE_FIRMA and pendiente.folio_definitivo == ""
    assert not Acuse.objects.exists()
    assert (
        _firmar(cliente_contratista, pendiente, fiel).status_code == 302
    )  # a new Validar signs the new content


def test_a_signature_of_another_text_or_by_another_key_is_refused(
    cliente_contratista, pendiente, fiel, firma_lista
):
    reto = _validar(cliente_contratista, pendiente, fiel)
    llave = llave_descifrar(cer=fiel.cer, key=fiel.key, password=fiel.password)
    otra_cadena = reto["mensaje"].replace("|ESI920427886|", "|PEJJ800101AB6|")

    respuesta = _enviar(cliente_contratista, pendiente, fiel, reto, firma=firmar_texto(llave, otra_cadena))

    assert (
        "La firma electrónica no es válida. Verifica tus archivos de e.firma." in respuesta.content.decode()
    )
    otra = firma_lista["otro"]
    reto = _validar(cliente_contratista, pendiente, fiel)
    ajena = llave_descifrar(cer=otra.cer, key=otra.key, password=otra.password)
    respuesta = _enviar(
        cliente_contratista, pendiente, fiel, reto, firma=firmar_texto(ajena, reto["mensaje"])
    )
    assert "La firma electrónica no es válida" in respuesta.content.decode()
    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PENDIENTE_FIRMA


def test_a_login_challenge_cannot_present_an_informativa(cliente_contratista, pendiente, fiel):
    reto = validar(cliente_contratista, "/acceso/efirma/validar/", cer=fiel.cer, rfc=fiel.rfc)

    respuesta = _enviar(cliente_contratista, pendiente, fiel, reto)

    assert "venció o ya se usó" in respuesta.content.decode()
    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PENDIENTE_FIRMA


def test_the_presentation_time_reserved_at_validar_decides_extemporanea(
    cliente_contratista, pendiente, fiel, settings
):
    """The cadena's time is the legal presentation time: on time if Validar was on time, whatever the
    portal's clock says when "Firmar" arrives (here the deadline passes in between)."""
    settings.ICSOE_HOY = "2026-05-18"  # the deadline of the first cuatrimestre of 2026 (the 17th is a Sunday)
    reto = _validar(cliente_contratista, pendiente, fiel)
    settings.ICSOE_HOY = "2026-05-19"
    assert pendiente.periodo.es_extemporanea(fecha=datetime.date(2026, 5, 19))

    _enviar(cliente_contratista, pendiente, fiel, reto)

    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PRESENTADA
    assert pendiente.extemporanea is False


def test_signing_without_the_portals_key_says_so_in_spanish_and_keeps_the_informativa_pending(
    cliente_contratista, pendiente, fiel, settings, tmp_path
):
    settings.ICSOE_SIGNING_KEY = str(tmp_path / "sello-portal" / "no-existe.key")

    respuesta = _validar(cliente_contratista, pendiente, fiel)

    assert respuesta["error"] == "No fue posible sellar el acuse en este momento. Inténtalo más tarde."
    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PENDIENTE_FIRMA and pendiente.folio_definitivo == ""
    assert not Acuse.objects.exists()
    assert not FolioContador.objects.filter(serie="N26").exists()  # no folio definitivo was taken


def test_validar_checks_the_efirma_is_the_contratistas(cliente_contratista, pendiente, fiel):
    propia = _validar(cliente_contratista, pendiente, fiel)
    ajena = _validar(cliente_contratista, pendiente, FIEL_EKU)

    assert propia["exito"] == "La validación de la FIEL fue exitosa."
    assert ajena["error"].startswith("El RFC capturado no corresponde al contratista de la informativa")
    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PENDIENTE_FIRMA


def test_firmar_without_javascript_says_the_efirma_needs_it_and_reads_no_key(
    cliente_contratista, pendiente, fiel
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("informativas:firmar", args=[pendiente.code])
    pagina = cliente_contratista.get(url).content.decode()
    assert "<noscript>" in pagina and "activa JavaScript" in pagina
    assert 'name="llave"' not in pagina and 'name="contrasena"' not in pagina

    sin_firma = cliente_contratista.post(
        url, f"rfc={fiel.rfc}&certificado=AAAA", content_type="application/x-www-form-urlencoded"
    )
    con_llave = cliente_contratista.post(
        url,
        {
            "rfc": fiel.rfc,
            "llave": SimpleUploadedFile("e.key", fiel.key.read_bytes()),
            "contrasena": fiel.password,
        },
    )

    assert "activa JavaScript" in sin_firma.content.decode()
    assert (
        con_llave.status_code == 400
        and "El portal no recibe archivos de e.firma" in con_llave.content.decode()
    )
    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PENDIENTE_FIRMA


# ----------------------------------------------------------------------------------------------------------
# Acuses de presentación: a pending informativa has none (a presented one's: test_vistas_acuses.py)
# ----------------------------------------------------------------------------------------------------------
def test_a_pending_informativa_has_no_acuse(cliente_contratista, pendiente):
    assert cliente_contratista.get(reverse("informativas:acuse_descargar", args=[pendiente.code])).status_code == 404
