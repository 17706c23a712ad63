"""/verificar-acuse/ against the attacks of issue 13: folios walked without their codes (finding 4), and an acuse
PDF edited after it was issued (finding 5); plus the acuse's PAdES signature checked with pyHanko's validator.
The signed informativa is made once for the module (conftest's normal_firmada_del_modulo); the migration that gave
older acuses their code, a transactional test: test_verificacion_migracion.py."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from informativas.models import ALFABETO_CODIGO, LARGO_CODIGO, Informativa, codigo_verificacion_nuevo
from informativas.presentacion import acuse_pades, acuses, verificacion

from ..conftest import desde, firmada_intacta

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _detras_de_un_proxy(detras_de_un_proxy):
    yield


@pytest.fixture
def presentada(normal_firmada_del_modulo) -> Informativa:
    return normal_firmada_del_modulo


@pytest.fixture
def contratista(presentada):
    return presentada.contratista


def _pdf(informativa) -> bytes:
    with informativa.acuse.pdf.open("rb") as archivo:
        return archivo.read()


def _alterar_un_byte(pdf: bytes) -> bytes:
    """One byte changed inside the first content stream (what an edit of the printed text changes)."""
    posicion = pdf.index(b"stream", pdf.index(b"/Length")) + 40
    alterado = bytearray(pdf)
    alterado[posicion] ^= 0x01
    return bytes(alterado)


def _pagina(respuesta) -> str:
    return " ".join(respuesta.content.decode().split())


# ----------------------------------------------------------------------------------------------------------
# The code
# ----------------------------------------------------------------------------------------------------------
def test_every_acuse_gets_its_own_random_code_of_at_least_80_bits(presentada):
    codigo = presentada.acuse.codigo_verificacion

    assert len(codigo) == LARGO_CODIGO and set(codigo) <= set(ALFABETO_CODIGO)
    assert LARGO_CODIGO * 5 >= 80  # 5 bits a character of Crockford's base32: 100 bits
    assert len({codigo_verificacion_nuevo() for _ in range(1000)}) == 1000


def test_the_code_is_accepted_as_typed_by_a_person(presentada):
    codigo = presentada.acuse.codigo_verificacion
    tecleado = " " + acuses.codigo_mostrar(codigo).lower().replace("0", "o").replace("1", "l") + " "

    consulta = verificacion.acuse_consultar(
        folio=presentada.folio_definitivo.lower(), codigo=tecleado, pdf=None, ip="192.0.2.1"
    )

    assert consulta.verificacion is not None and consulta.verificacion.valida


# ----------------------------------------------------------------------------------------------------------
# Finding 4: enumeration
# ----------------------------------------------------------------------------------------------------------
def test_100_sequential_folios_without_code_reveal_nothing_and_are_throttled(client, presentada, contratista):
    serie, numero = re.fullmatch(r"([A-Z]+\d{2})(\d+)", presentada.folio_definitivo).groups()
    atacante = "203.0.113.66"
    paginas = []
    for n in range(100):
        folio = f"{serie}{int(numero) + n - 1:0{len(numero)}d}"  # the real one is the second
        paginas.append(_pagina(client.get(reverse("verificacion:acuse"), {"folio": folio}, **desde(atacante))))

    for pagina in paginas:
        assert contratista.rfc not in pagina and contratista.razon_social not in pagina
        assert "CLIENTE INDUSTRIAL" not in pagina and 'data-verificacion="' not in pagina
    presupuesto = verificacion.VERIFICACION_POR_DIRECCION.presupuesto
    assert all("Captura el código de verificación" in p for p in paginas[:presupuesto])
    assert all("Hay muchas consultas sin resultado desde tu red" in p for p in paginas[presupuesto + 1 :])

    # Even with the right folio and code, that address now waits; anyone else verifies at once.
    codigo = presentada.acuse.codigo_verificacion
    datos = {"folio": presentada.folio_definitivo, "codigo": codigo}
    assert "espera" in _pagina(client.get(reverse("verificacion:acuse"), datos, **desde(atacante)))
    otra = _pagina(client.get(reverse("verificacion:acuse"), datos, **desde("198.51.100.3")))
    assert 'data-verificacion="valido"' in otra and contratista.rfc in otra


def test_guessed_codes_for_a_real_folio_reveal_nothing_and_are_throttled(client, presentada, contratista):
    atacante = "203.0.113.67"
    presupuesto = verificacion.VERIFICACION_POR_DIRECCION.presupuesto
    paginas = [
        _pagina(
            client.get(
                reverse("verificacion:acuse"),
                {"folio": presentada.folio_definitivo, "codigo": codigo_verificacion_nuevo()},
                **desde(atacante),
            )
        )
        for _ in range(presupuesto + 2)
    ]

    assert all(contratista.rfc not in p for p in paginas)
    assert all("No encontramos un acuse con ese folio y ese código" in p for p in paginas[:presupuesto])
    assert "espera 2 segundos y vuelve a intentarlo" in paginas[-1]


def test_an_office_checking_its_acuses_with_their_codes_is_never_throttled(client, presentada):
    datos = {"folio": presentada.folio_definitivo, "codigo": presentada.acuse.codigo_verificacion}
    for _ in range(verificacion.VERIFICACION_POR_DIRECCION.presupuesto * 3):
        pagina = _pagina(client.get(reverse("verificacion:acuse"), datos, **desde("198.51.100.20")))
        assert 'data-verificacion="valido"' in pagina


# ----------------------------------------------------------------------------------------------------------
# Finding 5: the PDF itself, byte for byte
# ----------------------------------------------------------------------------------------------------------
def _subir(client, pdf: bytes, **datos):
    archivo = SimpleUploadedFile("acuse.pdf", pdf, content_type="application/pdf")
    return _pagina(client.post(reverse("verificacion:acuse"), {**datos, "archivo": archivo}, **desde("192.0.2.9")))


def test_the_issued_pdf_is_recognised_byte_for_byte_and_shows_what_was_filed(client, presentada):
    pagina = _subir(client, _pdf(presentada))

    assert 'data-pdf="identico"' in pagina
    assert "El archivo es idéntico, byte por byte, al acuse que emitió el portal" in pagina
    assert 'data-verificacion="valido"' in pagina
    assert "CLIENTE INDUSTRIAL SA DE CV" in pagina and presentada.folio_definitivo in pagina


def test_an_altered_pdf_with_its_folio_and_code_is_reported_as_not_the_issued_one(client, presentada):
    alterado = _alterar_un_byte(_pdf(presentada))

    pagina = _subir(
        client, alterado, folio=presentada.folio_definitivo, codigo=presentada.acuse.codigo_verificacion
    )

    assert 'data-pdf="distinto"' in pagina
    assert "El archivo NO es idéntico al acuse que emitió el portal" in pagina
    assert "El acuse es auténtico" not in pagina.split('data-pdf="distinto"')[0]
    assert "CLIENTE INDUSTRIAL SA DE CV" in pagina  # what was really filed, to compare with


def test_an_altered_pdf_alone_is_no_acuse_of_the_portal(client, presentada, contratista):
    pagina = _subir(client, _alterar_un_byte(_pdf(presentada)))

    assert verificacion.MENSAJE_PDF_NO_EMITIDO in pagina
    assert contratista.rfc not in pagina


def test_the_form_keeps_what_was_typed_and_names_the_missing_field(client):
    pagina = _pagina(client.post(reverse("verificacion:acuse"), {"codigo": "abcde-fghjk"}, **desde("192.0.2.10")))

    assert "Captura el folio definitivo de la informativa." in pagina
    assert 'value="abcde-fghjk"' in pagina


# ----------------------------------------------------------------------------------------------------------
# The PAdES signature (pyHanko)
# ----------------------------------------------------------------------------------------------------------
def test_the_acuse_pdf_carries_a_pades_signature_that_fails_after_one_byte_changes(presentada):
    pdf = _pdf(presentada)
    portal, _ = acuses.certificados_portal()

    firma = acuse_pades.pdf_firma_verificar(pdf=pdf, certificados=portal.values())
    alterada = acuse_pades.pdf_firma_verificar(pdf=_alterar_un_byte(pdf), certificados=portal.values())
    anadida = acuse_pades.pdf_firma_verificar(pdf=pdf + b"\n%%EOF\n", certificados=portal.values())

    assert firma.valida and firma.todo_el_archivo and firma.confiable
    assert b"/SubFilter /ETSI.CAdES.detached" in pdf
    assert alterada.firmado and not alterada.intacto and not alterada.valida
    assert not anadida.todo_el_archivo and not anadida.valida
    assert presentada.acuse.pdf_sha256 == hashlib.sha256(pdf).hexdigest()


def test_the_pdf_is_signed_and_checked_also_where_an_asyncio_loop_already_runs(presentada):
    import asyncio

    from pypdf import PdfWriter

    from firma.services import sello_portal

    escritor = PdfWriter()
    escritor.add_blank_page(width=612, height=792)
    sin_firma = io.BytesIO()
    escritor.write(sin_firma)

    async def en_un_bucle():
        return acuse_pades.pdf_sellar(pdf=sin_firma.getvalue(), portal=sello_portal())

    firmado_otra_vez = asyncio.run(en_un_bucle())
    portal, _ = acuses.certificados_portal()

    assert acuse_pades.pdf_firma_verificar(pdf=firmado_otra_vez, certificados=portal.values()).valida


def _pagina_en_blanco() -> bytes:
    from pypdf import PdfWriter

    escritor = PdfWriter()
    escritor.add_blank_page(width=612, height=792)
    salida = io.BytesIO()
    escritor.write(salida)
    return salida.getvalue()


def _certificado_firmante(pdf: bytes) -> bytes:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures[0].signer_cert.dump()


def test_the_sellos_key_is_loaded_once_per_process_not_on_every_signature(firma_lista, monkeypatch):
    from cryptography.hazmat.primitives import serialization

    from firma.services import sello_portal

    acuse_pades.pdf_sellar(pdf=_pagina_en_blanco(), portal=sello_portal())  # the first signature loads it
    cargas: list[str] = []
    for nombre in ("load_der_private_key", "load_pem_private_key"):
        original = getattr(serialization, nombre)
        monkeypatch.setattr(serialization, nombre, lambda *a, _o=original, _n=nombre, **k: cargas.append(_n) or _o(*a, **k))

    firmados = [acuse_pades.pdf_sellar(pdf=_pagina_en_blanco(), portal=sello_portal()) for _ in range(2)]

    assert cargas == []
    portal, _ = acuses.certificados_portal()
    for pdf in firmados:
        assert acuse_pades.pdf_firma_verificar(pdf=pdf, certificados=portal.values()).valida
        assert _certificado_firmante(pdf) == sello_portal().certificado.der


def test_a_sello_replaced_on_disk_signs_the_next_pdf(firma_lista, settings, tmp_path):
    """The signer kept per process is the one of the sello's files as they are now: a rotated pair is used at once."""
    import shutil

    from firma import sat
    from firma.services import sello_portal, sello_portal_demo_emitir

    carpeta = tmp_path / "sello-portal"
    carpeta.mkdir()
    shutil.copy(firma_lista["sello_cer"], carpeta / "portal.cer")
    shutil.copy(firma_lista["sello_key"], carpeta / "portal.key")
    settings.ICSOE_SIGNING_CERT, settings.ICSOE_SIGNING_KEY = str(carpeta / "portal.cer"), str(carpeta / "portal.key")
    anterior = acuse_pades.pdf_sellar(pdf=_pagina_en_blanco(), portal=sello_portal())

    sello_portal_demo_emitir(reemplazar=True)  # a new pair written over the configured paths
    nuevo = acuse_pades.pdf_sellar(pdf=_pagina_en_blanco(), portal=sello_portal())

    certificado_anterior = sat.cargar_certificado(firma_lista["sello_cer"].read_bytes())
    certificado_nuevo = sat.cargar_certificado((carpeta / "portal.cer").read_bytes())
    assert certificado_nuevo.der != certificado_anterior.der
    assert _certificado_firmante(anterior) == certificado_anterior.der
    assert _certificado_firmante(nuevo) == certificado_nuevo.der
    assert acuse_pades.pdf_firma_verificar(pdf=nuevo, certificados=[certificado_nuevo]).valida
    assert not acuse_pades.pdf_firma_verificar(pdf=nuevo, certificados=[certificado_anterior]).confiable


def test_a_pdf_signed_by_another_key_is_not_trusted(presentada):
    from firma import sat
    from firma.demo import emitir_sello_portal

    otro = sat.cargar_certificado(emitir_sello_portal()[0])

    assert not acuse_pades.pdf_firma_verificar(pdf=_pdf(presentada), certificados=[otro]).confiable


# ----------------------------------------------------------------------------------------------------------
# Issue 24, finding 9: a throttled address was answered only after its body was read and bound
# ----------------------------------------------------------------------------------------------------------
class _CuerpoContado(io.BytesIO):
    """A request body that records how much of it was read."""

    leidos = 0

    def read(self, size=-1, /):
        datos = super().read(size)
        self.leidos += len(datos)
        return datos

    def readline(self, size=-1, /):
        datos = super().readline(size)
        self.leidos += len(datos)
        return datos


@pytest.mark.parametrize("csrf", [False, True], ids=["sin-csrf", "con-csrf"])
def test_a_throttled_address_gets_the_wait_without_its_body_being_read(presentada, csrf):
    from django.test import Client
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    atacante = "203.0.113.70"
    for _ in range(verificacion.VERIFICACION_POR_DIRECCION.presupuesto + 1):
        verificacion.consulta_fallida_registrar(ip=atacante)
    cliente = Client(enforce_csrf_checks=csrf)
    cliente.get(reverse("verificacion:acuse"))  # the CSRF cookie, as a browser has it
    token = cliente.cookies["csrftoken"].value if csrf else ""
    archivo = SimpleUploadedFile("acuse.pdf", _pdf(presentada) + b"0" * (4 * 1024 * 1024))
    cuerpo = encode_multipart(BOUNDARY, {"csrfmiddlewaretoken": token, "archivo": archivo})
    flujo = _CuerpoContado(cuerpo)

    respuesta = cliente.generic(
        "POST", reverse("verificacion:acuse"), cuerpo, content_type=MULTIPART_CONTENT, **{"wsgi.input": flujo}, **desde(atacante)
    )

    assert respuesta.status_code == 200
    assert "Hay muchas consultas sin resultado desde tu red" in _pagina(respuesta)
    assert flujo.leidos == 0


def test_an_address_not_throttled_still_verifies_its_pdf_with_the_csrf_check(presentada):
    from django.test import Client

    cliente = Client(enforce_csrf_checks=True)
    cliente.get(reverse("verificacion:acuse"))
    datos = {"csrfmiddlewaretoken": cliente.cookies["csrftoken"].value, "archivo": SimpleUploadedFile("a.pdf", _pdf(presentada))}

    respuesta = cliente.post(reverse("verificacion:acuse"), datos, **desde("198.51.100.9"))

    assert 'data-verificacion="valido"' in _pagina(respuesta)
    assert cliente.post(reverse("verificacion:acuse"), {"folio": "X"}, **desde("198.51.100.9")).status_code == 403


# ----------------------------------------------------------------------------------------------------------
# Last in the module: what the tests above did stayed in each of them; the signed informativa is as it was made
# ----------------------------------------------------------------------------------------------------------
def test_the_earlier_tests_left_nothing_behind(_normal_firmada_del_modulo, db):
    firmada_intacta(_normal_firmada_del_modulo)
