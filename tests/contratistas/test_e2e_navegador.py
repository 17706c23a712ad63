"""The e.firma used in Chromium (docs/firma-en-navegador.md): the key and its password never leave the page.

Every request of a login is captured twice, as Chromium sent it and as the test server received it, and no
body holds the key (raw, hex, base64, its decrypted numbers) or the password. The signature the page posts is
byte for byte the one tests/firma_navegador.py makes. The page refuses a wrong password or a key of another
certificate itself, sending nothing; it decrypts every key format the server accepted when it still received
keys; without JavaScript it says the e.firma needs it.
"""

from __future__ import annotations

import base64
import importlib
import os
import re
from urllib.parse import parse_qs

import pytest
from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import TerminosCondiciones
from contratistas.models import Contratista
from firma import sat
from tests.efirma_sat import CSD_EKU, FIEL_EKU, cuerpo_resumido, rastros_en_cuerpo
from tests.firma_navegador import firmar_texto, llave_descifrar

pytestmark = [pytest.mark.e2e, pytest.mark.solo_make_run, pytest.mark.django_db(transaction=True)]

PASSWORD_UNICA = "Contraseña-Única-7qZ#"
CAMPOS_PERMITIDOS = {"csrfmiddlewaretoken", "rfc", "certificado", "reto", "firma"}


@pytest.fixture(autouse=True)
def _limpio():
    cache.clear()
    migracion = importlib.import_module("accounts.migrations.0002_terminos_iniciales")
    TerminosCondiciones.objects.get_or_create(
        version="1.0", defaults={"texto": migracion.TEXTO, "vigente_desde": timezone.now(), "activo": True}
    )


def _llenar(page: Page, efirma, *, password: str | None = None, key=None) -> None:
    page.get_by_label("RFC").fill(efirma.rfc)
    page.get_by_label("Certificado").set_input_files(str(efirma.cer))
    page.get_by_label(re.compile(r"^Llave privada")).set_input_files(str(key or efirma.key))
    page.get_by_label("Contraseña de la Llave privada").fill(
        efirma.password if password is None else password
    )


def _posts(cuerpos) -> list[tuple[str, bytes]]:
    return [(ruta, cuerpo) for metodo, ruta, cuerpo in cuerpos if metodo == "POST"]


@pytest.mark.parametrize("cual", ["SAT (PBKDF2-SHA1, 3DES)", "demo (PBKDF2-SHA256, AES-256)"])
def test_a_login_sends_only_the_certificate_and_the_signature(
    page: Page, live_server, cuerpos_recibidos, demo_efirma, cual
):
    efirma = (
        FIEL_EKU
        if cual.startswith("SAT")
        else demo_efirma("ESI920427886", "EMPRESA DE SERVICIOS INTEGRALES SA DE CV", password=PASSWORD_UNICA)
    )
    llave, cer = efirma.key.read_bytes(), efirma.cer.read_bytes()
    enviados: list[tuple[str, bytes]] = []
    respuestas: list[dict] = []
    page.on(
        "request",
        lambda r: enviados.append((r.url, r.post_data_buffer or b"")) if r.method == "POST" else None,
    )
    page.on("response", lambda r: respuestas.append(r.json()) if r.url.endswith("/validar/") else None)
    page.goto(live_server.url + "/acceso/efirma/")

    _llenar(page, efirma)
    page.get_by_role("button", name="Validar").click()
    expect(page.get_by_text("La validación de la FIEL fue exitosa.")).to_be_visible()
    page.get_by_role("button", name="Ingresar").click()
    expect(page.get_by_role("heading", name="Términos y condiciones")).to_be_visible()

    recibidos = _posts(cuerpos_recibidos)
    assert [ruta for ruta, _ in recibidos] == ["/acceso/efirma/validar/", "/acceso/efirma/"]
    assert [url.removeprefix(live_server.url) for url, _ in enviados] == [
        "/acceso/efirma/validar/",
        "/acceso/efirma/",
    ]
    for ruta, cuerpo in recibidos:
        print(cuerpo_resumido(ruta, cuerpo))
    for _, cuerpo in recibidos + enviados:
        assert rastros_en_cuerpo(cuerpo, llave=llave, password=efirma.password) == []
        campos = parse_qs(cuerpo.decode("ascii"), strict_parsing=True)
        assert set(campos) <= CAMPOS_PERMITIDOS
        assert campos["certificado"] == [base64.b64encode(cer).decode()]
    ingreso = parse_qs(recibidos[1][1].decode("ascii"))
    (reto,) = respuestas
    assert ingreso["reto"] == [reto["reto"]]
    # The page's signature (node-forge) is byte for byte the Python helper's (cryptography).
    propia = llave_descifrar(cer=cer, key=llave, password=efirma.password)
    assert ingreso["firma"] == [firmar_texto(propia, reto["mensaje"])]
    assert Contratista.objects.filter(rfc=efirma.rfc).exists()


@pytest.mark.parametrize(
    ("caso", "mensaje"),
    [
        ("contraseña equivocada", "La contraseña de la llave privada es incorrecta."),
        ("llave de otro certificado", "La llave privada no corresponde al certificado."),
    ],
)
@pytest.mark.parametrize("boton", ["Validar", "Ingresar"])
def test_the_page_refuses_a_wrong_password_or_another_key_and_sends_nothing(
    page: Page, live_server, cuerpos_recibidos, caso, mensaje, boton
):
    page.goto(live_server.url + "/acceso/efirma/")
    if caso == "contraseña equivocada":
        _llenar(page, FIEL_EKU, password="equivocada")
    else:
        _llenar(page, FIEL_EKU, key=CSD_EKU.key)  # the CSD's key, same password, another certificate

    page.get_by_role("button", name=boton).click()

    expect(page.locator("#resultado-validacion [role=alert]")).to_have_text(mensaje)
    expect(page.get_by_label("RFC")).to_have_value(FIEL_EKU.rfc)
    expect(page).to_have_url(live_server.url + "/acceso/efirma/")
    assert _posts(cuerpos_recibidos) == []
    # Fixing the password is enough: the page keeps the files and logs in.
    page.get_by_label("Contraseña de la Llave privada").fill(FIEL_EKU.password)
    page.get_by_label(re.compile(r"^Llave privada")).set_input_files(str(FIEL_EKU.key))
    page.get_by_role("button", name="Ingresar").click()
    expect(page.get_by_role("heading", name="Términos y condiciones")).to_be_visible()


def test_missing_files_and_password_are_reported_under_their_fields(
    page: Page, live_server, cuerpos_recibidos
):
    page.goto(live_server.url + "/acceso/efirma/")
    page.get_by_label("RFC").fill(FIEL_EKU.rfc)

    page.get_by_role("button", name="Validar").click()
    expect(page.locator('[data-efirma-campo="certificado"] .campo__error')).to_have_text(
        "Selecciona el archivo: Certificado."
    )
    page.get_by_label("Certificado").set_input_files(str(FIEL_EKU.cer))
    page.get_by_label(re.compile(r"^Llave privada")).set_input_files(str(FIEL_EKU.key))
    page.get_by_role("button", name="Validar").click()

    expect(page.locator('[data-efirma-campo="contrasena"] .campo__error')).to_have_text(
        "Captura la contraseña de la llave privada."
    )
    expect(page.locator("#resultado-validacion [role=alert]")).to_have_text("Revisa los campos marcados.")
    assert _posts(cuerpos_recibidos) == []


def test_without_javascript_the_page_says_the_efirma_needs_it(browser, live_server, cuerpos_recibidos):
    contexto = browser.new_context(java_script_enabled=False, locale="es-MX")
    page = contexto.new_page()
    try:
        page.goto(live_server.url + "/acceso/efirma/")

        expect(page.locator("[data-efirma-sin-js]")).to_contain_text(
            "Tu e.firma se usa sólo en tu navegador: la llave privada y su contraseña nunca salen de tu equipo. "
            "Para usarla activa JavaScript en tu navegador"
        )
        expect(page.get_by_role("button", name="Validar")).to_be_disabled()
        expect(page.get_by_role("button", name="Ingresar")).to_be_disabled()
        assert page.locator('input[type="file"][name], input[type="password"][name]').count() == 0
    finally:
        contexto.close()
    assert _posts(cuerpos_recibidos) == []


# ---------------------------------------------------------------------------------------------------------
# Every key format the server accepted, decrypted by the page's own code (window.icsoeEfirma)
# ---------------------------------------------------------------------------------------------------------
def _tlv(tag: int, contenido: bytes) -> bytes:
    largo = len(contenido)
    if largo < 128:
        return bytes([tag, largo]) + contenido
    octetos = largo.to_bytes((largo.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(octetos)]) + octetos + contenido


def _seq(*partes: bytes) -> bytes:
    return _tlv(0x30, b"".join(partes))


def _oid(hexadecimal: str) -> bytes:
    return _tlv(0x06, bytes.fromhex(hexadecimal))


PRF = {"sha1": ("2a864886f70d0207", hashes.SHA1()), "sha256": ("2a864886f70d0209", hashes.SHA256())}
CIFRADOS = {  # OID, key length, the cipher
    "3des": ("2a864886f70d0307", 24, TripleDES),
    "aes128": ("608648016503040102", 16, algorithms.AES),
    "aes256": ("60864801650304012a", 32, algorithms.AES),
}


def _pkcs8_cifrada(llave, password: bytes, *, prf: str, cifrado: str) -> bytes:
    """An EncryptedPrivateKeyInfo with PBES2: PBKDF2 (2048 iterations, the given PRF) and the given cipher,
    built from cryptography's primitives (its own serializer picks one combination only)."""
    oid_prf, hash_prf = PRF[prf]
    oid_cifrado, largo, algoritmo = CIFRADOS[cifrado]
    sal, iteraciones = os.urandom(8), 2048
    clave = PBKDF2HMAC(algorithm=hash_prf, length=largo, salt=sal, iterations=iteraciones).derive(password)
    bloque = algoritmo(clave).block_size
    iv = os.urandom(bloque // 8)
    relleno = padding.PKCS7(bloque).padder()
    info = llave.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    cifrador = Cipher(algoritmo(clave), modes.CBC(iv)).encryptor()
    cifrado_bytes = cifrador.update(relleno.update(info) + relleno.finalize()) + cifrador.finalize()
    # DER omits a DEFAULT value: HMAC-SHA1 is PBKDF2's default PRF, so it is written only for SHA-256.
    prf_der = b"" if prf == "sha1" else _seq(_oid(oid_prf), b"\x05\x00")
    parametros = _seq(_tlv(0x04, sal), _tlv(0x02, iteraciones.to_bytes(2, "big")), prf_der)
    kdf = _seq(_oid("2a864886f70d01050c"), parametros)
    esquema = _seq(_oid("2a864886f70d01050d"), _seq(kdf, _seq(_oid(oid_cifrado), _tlv(0x04, iv))))
    return _seq(esquema, _tlv(0x04, cifrado_bytes))


def _pem(etiqueta: str, der: bytes) -> bytes:
    cuerpo = base64.encodebytes(der).decode().replace("\n", "")
    lineas = "\n".join(cuerpo[i : i + 64] for i in range(0, len(cuerpo), 64))
    return f"-----BEGIN {etiqueta}-----\n{lineas}\n-----END {etiqueta}-----\n".encode()


def _descifrar_en_la_pagina(page: Page, datos: bytes, password: str) -> str:
    """The page's descifrarLlave on these bytes: the key's modulus in hex, or the refusal's key."""
    return page.evaluate(
        """([b64, password]) => {
            try {
                return window.icsoeEfirma.descifrarLlave(forge.util.decode64(b64), password).n.toString(16);
            } catch (e) {
                if (e instanceof window.icsoeEfirma.Fallo) return "fallo:" + e.clave;
                throw e;
            }
        }""",
        [base64.b64encode(datos).decode(), password],
    )


@pytest.fixture
def pagina_efirma(page: Page, live_server):
    page.goto(live_server.url + "/acceso/efirma/")
    page.wait_for_function("() => window.icsoeEfirma !== undefined")
    return page


@pytest.mark.parametrize("prf", ["sha1", "sha256"])
@pytest.mark.parametrize("cifrado", ["3des", "aes128", "aes256"])
@pytest.mark.parametrize("codificacion", ["der", "pem"])
def test_the_page_decrypts_every_pbes2_key_the_server_accepted(pagina_efirma, prf, cifrado, codificacion):
    llave = sat.cargar_llave(FIEL_EKU.key.read_bytes(), FIEL_EKU.password)
    datos = _pkcs8_cifrada(llave, FIEL_EKU.password.encode(), prf=prf, cifrado=cifrado)
    if codificacion == "pem":
        datos = _pem("ENCRYPTED PRIVATE KEY", datos)
    modulo = format(llave.private_numbers().public_numbers.n, "x")

    assert (
        sat.cargar_llave(datos, FIEL_EKU.password).private_numbers() == llave.private_numbers()
    )  # the server's rules
    assert _descifrar_en_la_pagina(pagina_efirma, datos, FIEL_EKU.password) == modulo
    assert _descifrar_en_la_pagina(pagina_efirma, datos, "otra") == "fallo:contrasena_incorrecta"


@pytest.mark.parametrize("codificacion", ["utf-8", "latin-1"])
def test_a_password_with_an_enye_opens_the_key_as_utf8_or_latin1(pagina_efirma, codificacion):
    llave = sat.cargar_llave(FIEL_EKU.key.read_bytes(), FIEL_EKU.password)
    datos = _pkcs8_cifrada(llave, "contraseña".encode(codificacion), prf="sha256", cifrado="aes256")

    assert _descifrar_en_la_pagina(pagina_efirma, datos, "contraseña") == format(
        llave.public_key().public_numbers().n, "x"
    )


def test_sats_own_and_the_demo_keys_open_and_bad_containers_get_the_servers_messages(
    pagina_efirma, demo_efirma
):
    demo = demo_efirma("ESI920427886", "EMPRESA DE SERVICIOS INTEGRALES SA DE CV", password=PASSWORD_UNICA)
    llave = sat.cargar_llave(FIEL_EKU.key.read_bytes(), FIEL_EKU.password)
    sin_cifrar = llave.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    pem_antiguo = llave.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.BestAvailableEncryption(b"12345678a"),
    )

    def modulo(llave) -> str:
        return format(llave.public_key().public_numbers().n, "x")

    demo_llave = sat.cargar_llave(demo.key.read_bytes(), PASSWORD_UNICA)
    assert _descifrar_en_la_pagina(pagina_efirma, FIEL_EKU.key.read_bytes(), "12345678a") == modulo(llave)
    assert _descifrar_en_la_pagina(pagina_efirma, demo.key.read_bytes(), PASSWORD_UNICA) == modulo(demo_llave)
    assert _descifrar_en_la_pagina(pagina_efirma, sin_cifrar, "12345678a") == "fallo:key_sin_contrasena"
    assert _descifrar_en_la_pagina(pagina_efirma, pem_antiguo, "12345678a") == "fallo:key_formato"
    assert (
        _descifrar_en_la_pagina(pagina_efirma, b"esto no es una llave", "12345678a") == "fallo:key_ilegible"
    )
    assert _descifrar_en_la_pagina(pagina_efirma, FIEL_EKU.key.read_bytes()[:300], "12345678a").startswith(
        "fallo:"
    )
