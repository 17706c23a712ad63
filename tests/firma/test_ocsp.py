"""The OCSP client against a real OCSP responder run in the test: an HTTP server on loopback that reads each
request with cryptography's x509.ocsp and answers with OCSPResponseBuilder, signed by the demo CA's key (or
by a responder the CA delegated). Good, revoked, unknown, responder down, and every way an answer can be
untrustworthy; then the same through the login's checks and the login page."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from firma import sat
from firma.demo import DemoCA, emitir_efirma, guardar_efirma
from firma.ocsp import ClienteOcsp, OcspError, url_aia
from tests.efirma_sat import PASSWORD_SAT, Efirma
from tests.firma_navegador import URL_ACCESO_VALIDAR, validar, validar_efirma

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sin_bloqueos")]

RFC = "ESI920427886"
NOMBRE = "EMPRESA DE SERVICIOS INTEGRALES SA DE CV"
ESTADOS = {
    "good": ocsp.OCSPCertStatus.GOOD,
    "revoked": ocsp.OCSPCertStatus.REVOKED,
    "unknown": ocsp.OCSPCertStatus.UNKNOWN,
}
MENSAJE_REVOCADO = "El certificado de la e.firma fue revocado."
MENSAJE_NO_VERIFICABLE = (
    "No fue posible verificar si el certificado de la e.firma está revocado. Inténtalo más tarde."
)


def _respondedor_delegado(
    ca: DemoCA, *, con_eku: bool = True
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """An OCSP signing certificate issued by the CA (what SAT's ocsp.ac5_sat.cer is to AC5)."""
    llave = ec.generate_private_key(ec.SECP256R1())
    ahora = datetime.now(UTC)
    constructor = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "OCSP AC DEMO ICSOE")]))
        .issuer_name(ca.certificado.subject)
        .public_key(llave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(ahora - timedelta(days=1))
        .not_valid_after(ahora + timedelta(days=30))
    )
    if con_eku:
        constructor = constructor.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=False
        )
    return constructor.sign(ca.key, hashes.SHA256()), llave


@dataclass
class Respondedor:
    """The responder's behaviour: the status of each serial and how it signs its answers."""

    ca: DemoCA
    estados: dict[int, str] = field(default_factory=dict)
    modo: str = "normal"
    retraso: float = 0.0
    url: str = ""
    solicitudes: list[ocsp.OCSPRequest] = field(default_factory=list)

    def responder(self, cuerpo: bytes) -> bytes:
        solicitud = ocsp.load_der_ocsp_request(cuerpo)
        self.solicitudes.append(solicitud)
        if self.modo == "basura":
            return b"esto no es una respuesta OCSP"
        if self.modo == "no_autorizado":
            respuesta = ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
            return respuesta.public_bytes(serialization.Encoding.DER)
        ahora = datetime.now(UTC).replace(microsecond=0)
        estado = self.estados.get(solicitud.serial_number, "unknown")
        revocado = estado == "revoked"
        constructor = ocsp.OCSPResponseBuilder().add_response_by_hash(
            issuer_name_hash=solicitud.issuer_name_hash,
            issuer_key_hash=solicitud.issuer_key_hash,
            serial_number=solicitud.serial_number + (1 if self.modo == "otro_certificado" else 0),
            algorithm=solicitud.hash_algorithm,
            cert_status=ESTADOS[estado],
            this_update=ahora - timedelta(minutes=1),
            next_update=ahora - timedelta(hours=1) if self.modo == "vencida" else ahora + timedelta(hours=1),
            revocation_time=ahora - timedelta(days=1) if revocado else None,
            revocation_reason=x509.ReasonFlags.key_compromise if revocado else None,
        )
        certificado, llave = self.ca.certificado, self.ca.key
        if self.modo in ("delegado", "delegado_sin_eku"):
            certificado, llave = _respondedor_delegado(self.ca, con_eku=self.modo == "delegado")
            constructor = constructor.certificates([certificado])
        elif self.modo == "otra_ca":
            impostora = DemoCA.crear()
            certificado, llave = impostora.certificado, impostora.key
        constructor = constructor.responder_id(ocsp.OCSPResponderEncoding.HASH, certificado)
        try:
            nonce = solicitud.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
        except x509.ExtensionNotFound:
            nonce = None
        if nonce is not None and self.modo != "sin_nonce":
            devuelto = bytes(reversed(nonce)) if self.modo == "nonce_ajeno" else nonce
            constructor = constructor.add_extension(x509.OCSPNonce(devuelto), critical=False)
        der = constructor.sign(llave, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
        if self.modo == "firma_alterada":  # the signature BIT STRING ends the DER when no certificate follows
            der = der[:-1] + bytes([der[-1] ^ 0x01])
        return der


class _Manejador(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        cuerpo = self.rfile.read(int(self.headers["Content-Length"]))
        respondedor: Respondedor = self.server.respondedor  # type: ignore[attr-defined]
        assert self.headers["Content-Type"] == "application/ocsp-request"
        respuesta = respondedor.responder(cuerpo)
        time.sleep(respondedor.retraso)
        self.send_response(200)
        self.send_header("Content-Type", "application/ocsp-response")
        self.send_header("Content-Length", str(len(respuesta)))
        self.end_headers()
        self.wfile.write(respuesta)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """Made once for the module (RSA keys are slow): the demo CA, the responder serving on loopback, a FIEL,
    and a FIEL that names the responder in its AIA extension."""
    base = tmp_path_factory.mktemp("ocsp")
    ca = DemoCA.load_or_create(base / "var" / "demo-efirma")
    servidor = ThreadingHTTPServer(("127.0.0.1", 0), _Manejador)
    url = f"http://127.0.0.1:{servidor.server_address[1]}/ocsp"
    servidor.respondedor = Respondedor(ca=ca, url=url)  # type: ignore[attr-defined]
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    efirmas = {}
    for clave, rfc, nombre, aia in (
        ("fiel", RFC, NOMBRE, None),
        ("con_aia", "PEJJ800101AB6", "JUAN PEREZ", url),
    ):
        cer, key = emitir_efirma(ca=ca, rfc=rfc, nombre=nombre, password=PASSWORD_SAT, ocsp_url=aia)
        efirmas[clave] = Efirma(
            *guardar_efirma(directorio=base / clave, rfc=rfc, cer=cer, key=key), PASSWORD_SAT, rfc
        )
    yield {"var": base / "var", "servidor": servidor, **efirmas}
    servidor.shutdown()
    servidor.server_close()


@pytest.fixture
def respondedor(pki, settings) -> Respondedor:
    """The module's responder, reset for this test, with the demo CA that signs for it trusted."""
    settings.ICSOE_VAR_DIR = pki["var"]
    respondedor = pki["servidor"].respondedor
    respondedor.estados, respondedor.modo, respondedor.retraso = {}, "normal", 0.0
    respondedor.solicitudes = []
    return respondedor


@pytest.fixture
def fiel(pki, respondedor) -> Efirma:
    return pki["fiel"]


@pytest.fixture
def con_aia(pki, respondedor) -> Efirma:
    return pki["con_aia"]


@pytest.fixture
def caido():
    """The URL of a responder that is down: a loopback port nobody listens on."""
    servidor = ThreadingHTTPServer(("127.0.0.1", 0), _Manejador)
    url = f"http://127.0.0.1:{servidor.server_address[1]}/ocsp"
    servidor.server_close()
    return url


def _certificado(efirma) -> sat.Certificado:
    return sat.cargar_certificado(efirma.cer.read_bytes())


def _consultar(respondedor: Respondedor, efirma, **opciones) -> str:
    cliente = ClienteOcsp(url=respondedor.url, timeout=2, **opciones)
    return cliente.estado(_certificado(efirma), respondedor.ca.certificado)


# ---------------------------------------------------------------------------------------------------------
# The client
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("estado", ["good", "revoked", "unknown"])
def test_the_client_reports_what_the_responder_signed(respondedor, fiel, estado):
    certificado = _certificado(fiel)
    respondedor.estados[certificado.x509.serial_number] = estado

    assert _consultar(respondedor, fiel) == estado

    (solicitud,) = respondedor.solicitudes
    assert solicitud.serial_number == certificado.x509.serial_number
    assert solicitud.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce


def test_a_response_signed_by_a_responder_the_ca_delegated_is_accepted(respondedor, fiel):
    respondedor.estados[_certificado(fiel).x509.serial_number] = "revoked"
    respondedor.modo = "delegado"

    assert _consultar(respondedor, fiel) == "revoked"


def test_a_responder_without_a_nonce_is_accepted(respondedor, fiel):
    respondedor.estados[_certificado(fiel).x509.serial_number] = "good"
    respondedor.modo = "sin_nonce"

    assert _consultar(respondedor, fiel) == "good"


@pytest.mark.parametrize(
    ("modo", "motivo"),
    [
        ("basura", "not an OCSP response"),
        ("no_autorizado", "UNAUTHORIZED"),
        ("firma_alterada", "signature does not verify"),
        ("otra_ca", "not signed by the issuing CA"),
        ("delegado_sin_eku", "not signed by the issuing CA"),
        ("nonce_ajeno", "nonce"),
        ("vencida", "stale"),
        ("otro_certificado", "not about this certificate"),
    ],
)
def test_an_untrustworthy_answer_is_an_error(respondedor, fiel, modo, motivo):
    respondedor.estados[_certificado(fiel).x509.serial_number] = "good"
    respondedor.modo = modo

    with pytest.raises(OcspError, match=motivo):
        _consultar(respondedor, fiel)


def test_a_responder_that_is_down_or_too_slow_is_an_error(respondedor, fiel, caido):
    with pytest.raises(OcspError, match="did not answer"):
        ClienteOcsp(url=caido, timeout=2).estado(_certificado(fiel), respondedor.ca.certificado)

    respondedor.estados[_certificado(fiel).x509.serial_number] = "good"
    respondedor.retraso = 1.5
    inicio = time.monotonic()
    with pytest.raises(OcspError, match="did not answer"):
        ClienteOcsp(url=respondedor.url, timeout=0.3).estado(_certificado(fiel), respondedor.ca.certificado)
    assert time.monotonic() - inicio < 1.4


def test_fail_open_answers_good_and_logs_a_warning_when_no_verified_answer_comes(
    respondedor, fiel, caido, caplog
):
    caplog.set_level(logging.WARNING, logger="firma.ocsp")

    estado = ClienteOcsp(url=caido, timeout=2, falla_abierta=True).estado(
        _certificado(fiel), respondedor.ca.certificado
    )

    assert estado == "good"
    assert (
        f"OCSP sin respuesta verificable para el certificado {_certificado(fiel).numero_certificado}"
        in caplog.text
    )


def test_fail_open_still_reports_a_revoked_certificate(respondedor, fiel):
    respondedor.estados[_certificado(fiel).x509.serial_number] = "revoked"

    assert _consultar(respondedor, fiel, falla_abierta=True) == "revoked"


def test_the_aia_url_is_used_when_no_url_is_configured(respondedor, con_aia):
    certificado = _certificado(con_aia)
    respondedor.estados[certificado.x509.serial_number] = "revoked"

    assert url_aia(certificado.x509) == respondedor.url
    assert ClienteOcsp(timeout=2).estado(certificado, respondedor.ca.certificado) == "revoked"


@pytest.mark.parametrize("url", [None, "file:///etc/passwd", "ftp://127.0.0.1/ocsp"])
def test_without_a_usable_http_url_the_client_refuses_to_ask(respondedor, fiel, url):
    with pytest.raises(OcspError, match="no usable OCSP responder URL"):
        ClienteOcsp(url=url, timeout=2).estado(_certificado(fiel), respondedor.ca.certificado)
    assert respondedor.solicitudes == []


# ---------------------------------------------------------------------------------------------------------
# Through the service and the login page, configured by settings
# ---------------------------------------------------------------------------------------------------------
def _validar(efirma) -> sat.Certificado:
    return validar_efirma(**efirma.datos())


def test_ocsp_is_off_by_default(settings, respondedor, fiel):
    assert settings.ICSOE_OCSP_URL == ""
    respondedor.estados[_certificado(fiel).x509.serial_number] = "revoked"

    assert _validar(fiel).rfc == RFC
    assert respondedor.solicitudes == []


@pytest.mark.parametrize(
    ("estado", "mensaje"), [("revoked", MENSAJE_REVOCADO), ("unknown", MENSAJE_NO_VERIFICABLE)]
)
def test_with_a_responder_configured_its_answer_decides(settings, respondedor, fiel, estado, mensaje):
    settings.ICSOE_OCSP_URL = respondedor.url
    certificado = _certificado(fiel)
    respondedor.estados[certificado.x509.serial_number] = "good"
    assert _validar(fiel).rfc == RFC

    respondedor.estados[certificado.x509.serial_number] = estado
    with pytest.raises(sat.EfirmaError) as error:
        _validar(fiel)

    assert error.value.mensaje == mensaje
    assert len(respondedor.solicitudes) == 2


def test_a_responder_down_refuses_the_efirma_unless_fail_open(settings, fiel, caido):
    settings.ICSOE_OCSP_URL = caido
    settings.ICSOE_OCSP_TIMEOUT = 2

    with pytest.raises(sat.EfirmaError) as error:
        _validar(fiel)
    assert error.value.code == "revocacion_no_verificable"
    assert error.value.mensaje == MENSAJE_NO_VERIFICABLE

    settings.ICSOE_OCSP_FAIL_OPEN = True
    assert _validar(fiel).rfc == RFC


def test_aia_mode_asks_the_responder_each_certificate_names(settings, respondedor, con_aia):
    settings.ICSOE_OCSP_URL = "aia"
    respondedor.estados[_certificado(con_aia).x509.serial_number] = "revoked"

    with pytest.raises(sat.EfirmaError) as error:
        _validar(con_aia)

    assert error.value.mensaje == MENSAJE_REVOCADO
    assert len(respondedor.solicitudes) == 1


@pytest.mark.parametrize(
    ("estado", "mensaje"), [("revoked", MENSAJE_REVOCADO), (None, MENSAJE_NO_VERIFICABLE)]
)
def test_the_login_page_shows_the_ocsp_refusal_in_spanish(
    client, settings, respondedor, fiel, caido, estado, mensaje
):
    if estado is None:
        settings.ICSOE_OCSP_URL = caido
    else:
        settings.ICSOE_OCSP_URL = respondedor.url
        respondedor.estados[_certificado(fiel).x509.serial_number] = estado

    respuesta = validar(client, URL_ACCESO_VALIDAR, cer=fiel.cer, rfc=RFC)

    assert respuesta == {"error": mensaje, "campos": {}}
