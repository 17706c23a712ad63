"""firma.sat against SAT's own test e.firma files (tests/data/efirma-sat, every password 12345678a)."""

from __future__ import annotations

import base64
import pickle
import random
import re
import textwrap
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from firma import sat

REPO = Path(__file__).resolve().parents[2]
EFIRMA_PRUEBAS = REPO / "tests" / "data" / "efirma-sat"  # SAT's test files, copied in (see its README)
CA_PRUEBAS = EFIRMA_PRUEBAS / "python-satcfdi" / "ca-pruebas"
CA_PRODUCCION = EFIRMA_PRUEBAS / "python-satcfdi" / "ca-produccion"
FIEL = EFIRMA_PRUEBAS / "sat-ws-descarga-masiva" / "fake-fiel"
CSD = EFIRMA_PRUEBAS / "sat-ws-descarga-masiva" / "fake-csd"
FIEL_VENCIDA = EFIRMA_PRUEBAS / "phpcfdi-credentials" / "FIEL_AAA010101AAA"
PRODUCCION_CER = EFIRMA_PRUEBAS / "phpcfdi-credentials" / "00001000000413053762.cer"
NO_SAT = EFIRMA_PRUEBAS / "python-satcfdi" / "csd"
SATKIT = EFIRMA_PRUEBAS / "DescargaMasivaSATKit"
PERSONAS_MORALES = EFIRMA_PRUEBAS / "python-satcfdi" / "csd" / "Personas Morales"

PASSWORD = "12345678a"
RFC = "EKU9003173C9"
DENTRO_DE_VIGENCIA = datetime(2025, 1, 1, tzinfo=UTC)  # the EKU9003173C9 pair: 2023-05-18 .. 2027-05-17
VENCE_EKU = datetime(2027, 5, 17, 4, 37, 14, tzinfo=UTC)
RFC_PATRON = re.compile(r"^[A-ZÑ&]{3,4}\d{6}[A-Z0-9]{3}$")


@pytest.fixture(scope="module")
def pruebas() -> sat.TrustStore:
    return sat.TrustStore.from_dirs(CA_PRUEBAS)


@pytest.fixture(scope="module")
def produccion() -> sat.TrustStore:
    return sat.TrustStore.from_dirs(CA_PRODUCCION)


def fiel_cer() -> bytes:
    return (FIEL / f"{RFC}.cer").read_bytes()


def fiel_key() -> bytes:
    return (FIEL / f"{RFC}.key").read_bytes()


def validar(trust_store: sat.TrustStore, **cambios) -> sat.EfirmaValidada:
    datos = {
        "cer": fiel_cer(),
        "key": fiel_key(),
        "password": PASSWORD,
        "rfc": RFC,
        "trust_store": trust_store,
        "ahora": DENTRO_DE_VIGENCIA,
    }
    datos.update(cambios)
    return sat.validar_efirma(**datos)


def rechazo(trust_store: sat.TrustStore, **cambios) -> sat.EfirmaError:
    with pytest.raises(sat.EfirmaError) as error:
        validar(trust_store, **cambios)
    return error.value


def pem(etiqueta: str, der: bytes) -> bytes:
    cuerpo = "\n".join(textwrap.wrap(base64.b64encode(der).decode("ascii"), 64))
    return f"-----BEGIN {etiqueta}-----\n{cuerpo}\n-----END {etiqueta}-----\n".encode("ascii")


# ---------------------------------------------------------------------------------------------------------
# The main test e.firma
# ---------------------------------------------------------------------------------------------------------
def test_the_sat_test_fiel_validates_at_a_fixed_clock_inside_its_validity(pruebas):
    validada = validar(pruebas)

    assert validada.certificado.rfc == RFC
    assert sat.verificar(validada.certificado, validada.nonce, validada.firma_nonce)


@pytest.mark.skipif(datetime.now(UTC) >= VENCE_EKU, reason="la e.firma de prueba EKU9003173C9 ya venció")
def test_the_sat_test_fiel_validates_with_the_real_clock(pruebas):
    validada = validar(pruebas, ahora=datetime.now(UTC))

    assert validada.certificado.numero_certificado == "30001000000500003415"


def test_the_sat_test_fiel_reads_rfc_curp_name_and_numero_de_certificado():
    certificado = sat.cargar_certificado(fiel_cer())

    assert certificado.rfc == "EKU9003173C9"
    assert certificado.rfc_representante == "VADA800927DJ3"
    assert certificado.curp is None
    assert certificado.curp_representante == "VADA800927HSRSRL05"
    assert certificado.nombre == "ESCUELA KEMPER URGATE SA DE CV"
    assert certificado.numero_certificado == "30001000000500003415"
    assert certificado.persona == "moral"
    assert certificado.es_fiel
    assert certificado.emisor == "AC UAT"
    assert certificado.valido_desde == datetime(2023, 5, 18, 4, 37, 14, tzinfo=UTC)
    assert certificado.valido_hasta == VENCE_EKU
    assert certificado.x509.serial_number == int.from_bytes(b"30001000000500003415", "big")


def test_a_persona_fisica_reads_its_own_curp():
    certificado = sat.cargar_certificado((SATKIT / "certificate.cer").read_bytes())

    assert certificado.rfc == "WERX631016S30"
    assert certificado.curp == "WERX631016HJCRJM08"
    assert certificado.rfc_representante is None
    assert certificado.persona == "fisica"


def test_the_validated_efirma_holds_the_certificate_and_the_signed_nonce_never_the_key(pruebas):
    validada = validar(pruebas)

    assert [f.name for f in fields(validada)] == ["certificado", "nonce", "firma_nonce"]
    assert len(validada.nonce) == 32
    assert validada.nonce != validar(pruebas).nonce


def test_a_server_nonce_is_signed_when_given(pruebas):
    nonce = b"reto del servidor"

    validada = validar(pruebas, nonce=nonce)

    assert validada.nonce == nonce
    assert sat.verificar(validada.certificado, nonce, validada.firma_nonce)


def test_the_typed_rfc_is_trimmed_and_upper_cased(pruebas):
    assert validar(pruebas, rfc="  eku9003173c9 ").certificado.rfc == RFC


# ---------------------------------------------------------------------------------------------------------
# Each refusal, in DESIGN.md's order
# ---------------------------------------------------------------------------------------------------------
def test_the_csd_of_the_same_rfc_is_refused_as_not_a_fiel(pruebas):
    error = rechazo(pruebas, cer=(CSD / f"{RFC}.cer").read_bytes(), key=(CSD / f"{RFC}.key").read_bytes())

    assert error.code == "no_es_fiel"
    assert error.mensaje == "El certificado no es una e.firma (FIEL)."


def test_a_wrong_password_is_refused(pruebas):
    error = rechazo(pruebas, password="12345678b")

    assert error.code == "contrasena_incorrecta"
    assert error.mensaje == "La contraseña de la llave privada es incorrecta."


def test_an_empty_password_is_refused_as_incorrect(pruebas):
    assert rechazo(pruebas, password="").code == "contrasena_incorrecta"


def test_the_key_of_another_certificate_is_refused(pruebas):
    error = rechazo(pruebas, key=(CSD / f"{RFC}.key").read_bytes())

    assert error.code == "llave_no_corresponde"
    assert error.mensaje == "La llave privada no corresponde al certificado."


def test_the_expired_aaa010101aaa_fiel_is_refused_with_its_end_date(pruebas):
    error = rechazo(
        pruebas,
        cer=(FIEL_VENCIDA / "certificate.cer").read_bytes(),
        key=(FIEL_VENCIDA / "private_key.key").read_bytes(),
        rfc="AAA010101AAA",
        ahora=datetime.now(UTC),
    )

    assert error.code == "certificado_vencido"
    assert error.mensaje == "El certificado de la e.firma está vencido (vigente hasta 15/05/2021)."


def test_a_certificate_before_its_validity_is_refused(pruebas):
    error = rechazo(pruebas, ahora=datetime(2023, 1, 1, tzinfo=UTC))

    assert error.code == "certificado_no_vigente_aun"
    assert "17/05/2023" in error.mensaje  # 2023-05-18 04:37 UTC is still the 17th in Mexico City


def test_a_certificate_not_issued_by_sat_is_refused(pruebas):
    error = rechazo(
        pruebas,
        cer=(NO_SAT / "emisor2021.cer").read_bytes(),
        key=(NO_SAT / "emisor2021.key").read_bytes(),
        rfc="AAA010101AAA",
        ahora=datetime(2024, 1, 1, tzinfo=UTC),
    )

    assert error.code == "emisor_no_confiable"
    assert error.mensaje == (
        "El certificado no fue emitido por una autoridad certificadora reconocida por el SAT."
    )


def test_the_test_fiel_is_not_trusted_by_the_production_cas(produccion):
    assert rechazo(produccion).code == "emisor_no_confiable"


def test_nothing_is_trusted_by_an_empty_store():
    assert rechazo(sat.TrustStore([])).code == "emisor_no_confiable"


def test_a_revoked_certificate_is_refused(pruebas):
    revisados: list[str] = []

    def revocado(certificado: sat.Certificado) -> bool:
        revisados.append(certificado.numero_certificado)
        return True

    error = rechazo(pruebas, revocado=revocado)

    assert error.code == "certificado_revocado"
    assert revisados == ["30001000000500003415"]


class OcspFijo:
    def __init__(self, estado: str | None) -> None:
        self._estado = estado

    def estado(self, cert: sat.Certificado, emisor) -> str:
        assert cert.x509.issuer == emisor.subject  # the issuer an OCSP request must name
        if self._estado is None:
            raise TimeoutError("sin respuesta")
        return self._estado


def test_ocsp_good_lets_the_efirma_through(pruebas):
    assert validar(pruebas, ocsp=OcspFijo("good")).certificado.rfc == RFC


@pytest.mark.parametrize(
    ("estado", "code"),
    [
        ("revoked", "certificado_revocado"),
        ("unknown", "revocacion_no_verificable"),
        (None, "revocacion_no_verificable"),
    ],
)
def test_ocsp_revoked_unknown_or_down_refuses_the_efirma(pruebas, estado, code):
    assert rechazo(pruebas, ocsp=OcspFijo(estado)).code == code


def test_the_representatives_rfc_typed_with_the_company_fiel_gets_its_own_message(pruebas):
    error = rechazo(pruebas, rfc="VADA800927DJ3")

    assert error.code == "rfc_de_representante"
    assert error.mensaje == (
        "El RFC capturado es el del representante legal, pero la e.firma es de la persona moral (RFC "
        "EKU9003173C9). Para ingresar con esta e.firma captura el RFC de la persona moral."
    )


# SAT's 2019 set: EWE1709045U0 (persona moral) names KAHO641101B39 as its representative, whose own FIEL is in
# "Personas Fisicas". Both expired in 2023; the clock is set inside their validity.
EMPRESA = PERSONAS_MORALES / "ewe1709045u0.cer"
REPRESENTANTE = PERSONAS_MORALES.parent / "Personas Fisicas" / "kaho641101b39"
VIGENCIA_2019 = datetime(2022, 1, 1, tzinfo=UTC)


def test_the_representatives_own_fiel_typed_with_the_company_rfc_gets_its_own_message(pruebas):
    empresa = sat.cargar_certificado(EMPRESA.read_bytes())
    assert (empresa.rfc, empresa.rfc_representante) == ("EWE1709045U0", "KAHO641101B39")

    error = rechazo(
        pruebas,
        cer=REPRESENTANTE.with_suffix(".cer").read_bytes(),
        key=REPRESENTANTE.with_suffix(".key").read_bytes(),
        rfc="EWE1709045U0",
        ahora=VIGENCIA_2019,
    )

    assert error.code == "efirma_de_persona_fisica"
    assert error.mensaje == (
        "La e.firma corresponde a una persona física (RFC KAHO641101B39). Para ingresar como persona moral "
        "usa la e.firma de la empresa, no la de su representante legal."
    )


def test_a_persona_fisica_fiel_logs_in_with_its_own_rfc_and_another_13_character_rfc_is_just_wrong(pruebas):
    representante = {
        "cer": REPRESENTANTE.with_suffix(".cer").read_bytes(),
        "key": REPRESENTANTE.with_suffix(".key").read_bytes(),
        "ahora": VIGENCIA_2019,
    }

    assert validar(pruebas, **representante, rfc="KAHO641101B39").certificado.persona == "fisica"
    assert rechazo(pruebas, **representante, rfc="XIQB891116QE4").code == "rfc_no_coincide"


@pytest.mark.parametrize("rfc", ["ESI920427886", "", "EKU9003173C"])
def test_another_rfc_is_refused(pruebas, rfc):
    error = rechazo(pruebas, rfc=rfc)

    assert error.code == "rfc_no_coincide"
    assert error.mensaje == "El RFC capturado no corresponde al certificado de la e.firma."


def test_the_checks_run_in_design_order(pruebas):
    """A CSD with the wrong password fails on the password before anything about the certificate."""
    error = rechazo(
        pruebas, cer=(CSD / f"{RFC}.cer").read_bytes(), key=(CSD / f"{RFC}.key").read_bytes(), password="x"
    )

    assert error.code == "contrasena_incorrecta"


# ---------------------------------------------------------------------------------------------------------
# Malformed files: always an EfirmaError, never another exception
# ---------------------------------------------------------------------------------------------------------
def _aleatorio(n: int, semilla: int = 7) -> bytes:
    return random.Random(semilla).randbytes(n)


PEM_ROTO = b"-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----\n"
MALFORMADOS = {
    "certificado truncado": ({"cer": fiel_cer()[:700]}, "certificado_ilegible"),
    "certificado vacío": ({"cer": b""}, "archivo_vacio"),
    "llave vacía": ({"key": b""}, "archivo_vacio"),
    "certificado ausente": ({"cer": None}, "archivo_vacio"),
    "llave en el campo del certificado": ({"cer": fiel_key()}, "certificado_ilegible"),
    "certificado en el campo de la llave": ({"key": fiel_cer()}, "llave_ilegible"),
    "archivos intercambiados": ({"cer": fiel_key(), "key": fiel_cer()}, "certificado_ilegible"),
    "certificado aleatorio": ({"cer": _aleatorio(1500)}, "certificado_ilegible"),
    "llave aleatoria": ({"key": _aleatorio(1300)}, "llave_ilegible"),
    "llave truncada": ({"key": fiel_key()[:-10]}, "llave_ilegible"),
    "certificado de texto": ({"cer": b"no soy un certificado"}, "certificado_ilegible"),
    "PEM roto": ({"cer": PEM_ROTO}, "certificado_ilegible"),
    "certificado demasiado grande": ({"cer": fiel_cer() * 60}, "archivo_demasiado_grande"),
    "llave demasiado grande": ({"key": _aleatorio(70 * 1024)}, "archivo_demasiado_grande"),
}


@pytest.mark.parametrize(("cambios", "code"), MALFORMADOS.values(), ids=MALFORMADOS.keys())
def test_a_malformed_file_gets_a_clear_efirma_error(pruebas, cambios, code):
    error = rechazo(pruebas, **cambios)

    assert error.code == code
    if code not in ("archivo_vacio", "archivo_demasiado_grande"):  # these two name the file
        assert error.mensaje == sat.MENSAJES[code]


def test_an_empty_or_oversized_file_names_which_file():
    assert "certificado (.cer)" in rechazo(sat.TrustStore([]), cer=b"").mensaje
    assert "llave privada (.key)" in rechazo(sat.TrustStore([]), key=b"").mensaje
    assert "llave privada (.key)" in rechazo(sat.TrustStore([]), key=b"x" * 70_000).mensaje


def test_the_certificate_truncated_at_every_length_is_unreadable():
    completo = fiel_cer()
    for largo in range(1, len(completo)):
        with pytest.raises(sat.EfirmaError) as error:
            sat.cargar_certificado(completo[:largo])
        assert error.value.code == "certificado_ilegible", largo


def test_the_key_truncated_at_every_length_is_unreadable():
    completa = fiel_key()
    for largo in range(1, len(completa)):
        with pytest.raises(sat.EfirmaError) as error:
            sat.cargar_llave(completa[:largo], PASSWORD)
        assert error.value.code == "llave_ilegible", largo


def test_corrupted_bytes_anywhere_only_ever_raise_efirma_errors(pruebas):
    azar = random.Random(2024)
    originales = {"cer": fiel_cer(), "key": fiel_key()}
    for _ in range(300):
        campo = azar.choice(["cer", "key"])
        datos = bytearray(originales[campo])
        for _ in range(azar.randint(1, 4)):
            datos[azar.randrange(len(datos))] = azar.randrange(256)
        try:
            validar(pruebas, **{campo: bytes(datos)})
        except sat.EfirmaError as error:
            assert error.code in sat.MENSAJES
        # a flip in an unused byte may leave a valid pair: that is fine too


def test_a_key_with_an_abusive_iteration_count_is_refused_without_deriving_it():
    def tlv(tag: int, contenido: bytes) -> bytes:
        largo = len(contenido)
        cabecera = bytes([largo]) if largo < 128 else bytes([0x82]) + largo.to_bytes(2, "big")
        return bytes([tag]) + cabecera + contenido

    def oid(hexadecimal: str) -> bytes:  # pre-encoded OID contents
        return tlv(0x06, bytes.fromhex(hexadecimal))

    mil_millones = tlv(0x02, (10**9).to_bytes(4, "big"))
    pbkdf2 = tlv(0x30, oid("2a864886f70d01050c") + tlv(0x30, tlv(0x04, b"s" * 8) + mil_millones))
    cifrado = tlv(0x30, oid("2a864886f70d0307") + tlv(0x04, b"\0" * 8))  # des-ede3-cbc
    algoritmo = tlv(0x30, oid("2a864886f70d01050d") + tlv(0x30, pbkdf2 + cifrado))  # PBES2
    llave = tlv(0x30, algoritmo + tlv(0x04, b"\0" * 1200))

    with pytest.raises(sat.EfirmaError) as error:
        sat.cargar_llave(llave, PASSWORD)

    assert error.value.code == "llave_ilegible"
    assert error.value.mensaje == sat.MENSAJE_LLAVE_FORMATO


# ---------------------------------------------------------------------------------------------------------
# Key formats
# ---------------------------------------------------------------------------------------------------------
def _llave_satkit():
    return serialization.load_der_private_key((SATKIT / "privkey.key").read_bytes(), None)


@pytest.mark.parametrize("password", [PASSWORD, "", "cualquiera"])
def test_an_unencrypted_pkcs1_key_is_refused_as_not_sat_format_whatever_the_password(password):
    """Decision: SAT always encrypts the .key; an unencrypted key (DescargaMasivaSATKit's) is refused."""
    with pytest.raises(sat.EfirmaError) as error:
        sat.cargar_llave((SATKIT / "privkey.key").read_bytes(), password)

    assert error.value.code == "llave_ilegible"
    assert error.value.mensaje == sat.MENSAJE_LLAVE_SIN_CONTRASENA


@pytest.mark.parametrize(
    ("codificacion", "formato"),
    [
        (serialization.Encoding.DER, serialization.PrivateFormat.PKCS8),
        (serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8),
        (serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL),
    ],
)
def test_an_unencrypted_key_in_any_format_is_refused(codificacion, formato):
    datos = _llave_satkit().private_bytes(codificacion, formato, serialization.NoEncryption())

    with pytest.raises(sat.EfirmaError) as error:
        sat.cargar_llave(datos, PASSWORD)

    assert (error.value.code, error.value.mensaje) == ("llave_ilegible", sat.MENSAJE_LLAVE_SIN_CONTRASENA)


def test_the_satkit_key_encrypted_the_sat_way_validates_its_persona_fisica_fiel(pruebas):
    llave = _llave_satkit().private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(PASSWORD.encode()),
    )

    validada = validar(pruebas, cer=(SATKIT / "certificate.cer").read_bytes(), key=llave, rfc="WERX631016S30")

    assert validada.certificado.persona == "fisica"


def test_a_legacy_encrypted_pem_key_is_refused_as_not_sat_format():
    datos = _llave_satkit().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.BestAvailableEncryption(PASSWORD.encode()),
    )

    with pytest.raises(sat.EfirmaError) as error:
        sat.cargar_llave(datos, PASSWORD)

    assert (error.value.code, error.value.mensaje) == ("llave_ilegible", sat.MENSAJE_LLAVE_FORMATO)


def test_a_non_rsa_key_is_refused():
    datos = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(PASSWORD.encode()),
    )

    with pytest.raises(sat.EfirmaError) as error:
        sat.cargar_llave(datos, PASSWORD)

    assert error.value.code == "llave_ilegible"


@pytest.mark.parametrize("codificacion", ["utf-8", "latin-1"])
def test_a_password_with_an_enye_opens_the_key_in_utf8_or_latin1(codificacion):
    llave = _llave_satkit()
    datos = llave.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption("contraseña".encode(codificacion)),
    )

    cargada = sat.cargar_llave(datos, "contraseña")

    assert cargada.public_key().public_numbers() == llave.public_key().public_numbers()


def test_pem_certificate_and_pem_key_are_accepted(pruebas):
    validada = validar(
        pruebas, cer=pem("CERTIFICATE", fiel_cer()), key=pem("ENCRYPTED PRIVATE KEY", fiel_key())
    )

    assert validada.certificado.der == fiel_cer()


def test_a_pem_key_with_a_wrong_password_is_refused_as_incorrect(pruebas):
    assert rechazo(pruebas, key=pem("ENCRYPTED PRIVATE KEY", fiel_key()), password="otra").code == (
        "contrasena_incorrecta"
    )


# ---------------------------------------------------------------------------------------------------------
# Sign and verify
# ---------------------------------------------------------------------------------------------------------
def test_a_signature_verifies_and_fails_on_tampered_data_or_signature():
    certificado = sat.cargar_certificado(fiel_cer())
    llave = sat.cargar_llave(fiel_key(), PASSWORD)
    cadena = b"||1.0|N260000001|EKU9003173C9|ESCUELA KEMPER URGATE SA DE CV||"

    firma = sat.firmar(llave, cadena)

    assert sat.verificar(certificado, cadena, firma)
    assert not sat.verificar(certificado, cadena + b" ", firma)
    assert not sat.verificar(certificado, cadena, bytes([firma[0] ^ 1]) + firma[1:])
    assert not sat.verificar(certificado, cadena, b"")
    assert not sat.verificar(sat.cargar_certificado((CSD / f"{RFC}.cer").read_bytes()), cadena, firma)


def test_the_key_corresponds_to_its_certificate_only():
    certificado = sat.cargar_certificado(fiel_cer())

    assert sat.llave_corresponde(certificado, sat.cargar_llave(fiel_key(), PASSWORD))
    otra = sat.cargar_llave((CSD / f"{RFC}.key").read_bytes(), PASSWORD)
    assert not sat.llave_corresponde(certificado, otra)


def test_proof_of_possession_with_the_wrong_key_is_an_invalid_signature():
    certificado = sat.cargar_certificado(fiel_cer())
    otra = sat.cargar_llave((CSD / f"{RFC}.key").read_bytes(), PASSWORD)

    with pytest.raises(sat.EfirmaError) as error:
        sat.prueba_de_posesion(certificado, otra, b"reto")

    assert error.value.code == "firma_invalida"


# ---------------------------------------------------------------------------------------------------------
# Reading every certificate in the test files
# ---------------------------------------------------------------------------------------------------------
def _es_de_ca(ruta: Path) -> bool:
    return ruta.parent.name in ("ca-produccion", "ca-pruebas")


TODOS_LOS_CER = sorted(EFIRMA_PRUEBAS.rglob("*.cer"))
CER_DE_CONTRIBUYENTES = [p for p in TODOS_LOS_CER if not _es_de_ca(p)]
CER_DE_CA = [p for p in TODOS_LOS_CER if _es_de_ca(p)]


def test_the_test_files_are_all_there():
    assert len(CER_DE_CONTRIBUYENTES) >= 60
    assert len(CER_DE_CA) == 21


@pytest.mark.parametrize(
    "ruta", CER_DE_CONTRIBUYENTES, ids=[str(p.relative_to(EFIRMA_PRUEBAS)) for p in CER_DE_CONTRIBUYENTES]
)
def test_every_contribuyente_certificate_reads_its_rfc_and_name(ruta):
    certificado = sat.cargar_certificado(ruta.read_bytes())

    assert RFC_PATRON.match(certificado.rfc), certificado.rfc
    assert certificado.nombre.strip()
    assert re.fullmatch(r"\d{20}", certificado.numero_certificado)
    assert certificado.emisor
    assert certificado.persona == ("moral" if len(certificado.rfc) == 12 else "fisica")
    rfc_archivo, _, sufijo = ruta.stem.upper().partition("_")
    if RFC_PATRON.match(rfc_archivo):  # <rfc>.cer and <rfc>_csd.cer
        assert certificado.rfc == rfc_archivo
    if ruta.parent.name.startswith("Personas"):  # there <rfc>.cer is the FIEL and <rfc>_csd.cer the CSD
        assert certificado.es_fiel == (sufijo != "CSD")
        assert certificado.persona == ("moral" if ruta.parent.name == "Personas Morales" else "fisica")


@pytest.mark.parametrize("ruta", CER_DE_CA, ids=[p.name for p in CER_DE_CA])
def test_every_ca_file_loads_and_the_store_keeps_it_unless_it_is_an_ocsp_responder(ruta):
    certificado = sat.cargar_certificado(ruta.read_bytes())
    store = sat.TrustStore([ruta.read_bytes()])

    assert certificado.nombre
    assert len(store) == (0 if ruta.name.startswith("ocsp") else 1)
    assert not certificado.es_fiel


@pytest.mark.parametrize(
    ("archivo", "rfc", "nombre"),
    [
        ("Personas Morales/hañ930228sm9.cer", "HAÑ930228SM9", "HERMANOS ANZURES ÑARVAEZ SA"),
        ("Personas Morales/h&e951128469.cer", "H&E951128469", "HERRERIA & ELECTRICOS S DE CV"),
        ("Personas Morales/ure180429tm6.cer", "URE180429TM6", "UNIVERSIDAD ROBOTICA ESPAÑOLA SA DE CV"),
        ("Personas Fisicas/cañf770131pa3.cer", "CAÑF770131PA3", "FERNANDO CASTILLO ÑABARRO"),
    ],
)
def test_enye_and_ampersand_rfcs_and_names_read_right(archivo, rfc, nombre):
    certificado = sat.cargar_certificado((EFIRMA_PRUEBAS / "python-satcfdi" / "csd" / archivo).read_bytes())

    assert (certificado.rfc, certificado.nombre) == (rfc, nombre)


def test_the_production_certificate_with_latin1_names_reads_right_and_chains_to_production(produccion):
    certificado = sat.cargar_certificado(PRODUCCION_CER.read_bytes())

    assert certificado.rfc == "SMA0112284B2"
    assert certificado.rfc_representante == "GOCA741120HY0"
    assert certificado.curp_representante == "GOCA741120HVZMNR00"
    assert certificado.nombre == "COMPAÑIA SANTA MARIA SA DE CV"
    assert certificado.numero_certificado == "00001000000413053762"
    assert certificado.emisor == "A.C. del Servicio de Administración Tributaria"
    assert not certificado.es_fiel  # a sello digital
    produccion.verificar_cadena(certificado)


def test_a_2019_fiel_with_an_enye_validates_against_the_2018_test_ca(pruebas):
    carpeta = PERSONAS_MORALES
    validada = validar(
        pruebas,
        cer=(carpeta / "hañ930228sm9.cer").read_bytes(),
        key=(carpeta / "hañ930228sm9.key").read_bytes(),
        rfc="hañ930228sm9",
        ahora=datetime(2020, 1, 1, tzinfo=UTC),
    )

    assert validada.certificado.nombre == "HERMANOS ANZURES ÑARVAEZ SA"


# ---------------------------------------------------------------------------------------------------------
# Trust store
# ---------------------------------------------------------------------------------------------------------
def test_the_trust_store_keeps_the_cas_of_both_folders_once_and_skips_the_ocsp_responders():
    store = sat.TrustStore.from_dirs(CA_PRODUCCION, CA_PRUEBAS)

    assert len(sat.TrustStore.from_dirs(CA_PRUEBAS)) == 8
    assert len(sat.TrustStore.from_dirs(CA_PRODUCCION)) == 10
    assert len(store) == 16  # AC5_SAT and ARC5_IES are in both folders


def test_the_trust_store_skips_garbage_and_end_entity_certificates(tmp_path):
    (tmp_path / "basura.cer").write_bytes(b"no soy un certificado")
    (tmp_path / "vacio.pem").write_bytes(b"")
    (tmp_path / "hoja.cer").write_bytes(fiel_cer())
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "ac.crt").write_bytes((CA_PRUEBAS / "AC_UAT_2022.cer").read_bytes())
    (tmp_path / "ignorado.txt").write_bytes((CA_PRUEBAS / "ARC_UAT_2022.cer").read_bytes())

    assert len(sat.TrustStore.from_dirs(tmp_path)) == 1


def test_an_intermediate_without_its_root_is_not_enough(pruebas):
    solo_intermedia = sat.TrustStore([(CA_PRUEBAS / "AC_UAT_2022.cer").read_bytes()])

    assert rechazo(solo_intermedia).code == "emisor_no_confiable"


def test_a_pem_bundle_of_the_chain_is_trusted():
    bundle = pem("CERTIFICATE", (CA_PRUEBAS / "AC_UAT_2022.cer").read_bytes()) + pem(
        "CERTIFICATE", (CA_PRUEBAS / "ARC_UAT_2022.cer").read_bytes()
    )
    store = sat.TrustStore([bundle])

    assert len(store) == 2
    store.verificar_cadena(sat.cargar_certificado(fiel_cer()))


# ---------------------------------------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------------------------------------
def test_every_error_code_has_a_spanish_message():
    for code, mensaje in sat.MENSAJES.items():
        error = sat.EfirmaError(code)
        assert (error.code, error.mensaje, str(error)) == (code, mensaje, mensaje)
        assert mensaje[0].isupper() and mensaje.endswith(".")


def test_a_specific_message_overrides_the_default():
    assert sat.EfirmaError("certificado_ilegible", "Otro mensaje.").mensaje == "Otro mensaje."


def test_an_efirma_error_survives_pickling_for_task_queues():
    copia = pickle.loads(pickle.dumps(sat.EfirmaError("certificado_vencido", "Vencido.")))

    assert (copia.code, copia.mensaje) == ("certificado_vencido", "Vencido.")
