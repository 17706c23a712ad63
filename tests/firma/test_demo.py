"""firma.demo: the demo CA and demo e.firma files go through firma.sat like SAT's own."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from firma import sat
from firma.demo import NOMBRE_CA, DemoCA, emitir_efirma, guardar_efirma

REPO = Path(__file__).resolve().parents[2]
CA_PRUEBAS = REPO / "tests" / "data" / "efirma-sat" / "python-satcfdi" / "ca-pruebas"

PASSWORD = "12345678a"
MORAL = {
    "rfc": "ESI920427886",
    "nombre": "EMPRESA DE SERVICIOS INTEGRALES SA DE CV",
    "rfc_representante": "VADA800927DJ3",
    "curp_representante": "VADA800927HSRSRL05",
}


@pytest.fixture(scope="module")
def ca() -> DemoCA:
    return DemoCA.crear()


@pytest.fixture(scope="module")
def confianza(ca) -> sat.TrustStore:
    return sat.TrustStore([ca.cert_der])


def emitir(ca: DemoCA, **cambios) -> tuple[bytes, bytes]:
    datos = {**MORAL, "password": PASSWORD}
    datos.update(cambios)
    return emitir_efirma(ca=ca, **datos)


def validar(
    cer: bytes, key: bytes, trust_store: sat.TrustStore, rfc: str = MORAL["rfc"]
) -> sat.EfirmaValidada:
    return sat.validar_efirma(
        cer=cer, key=key, password=PASSWORD, rfc=rfc, trust_store=trust_store, ahora=datetime.now(UTC)
    )


def rechazo(cer: bytes, key: bytes, trust_store: sat.TrustStore, rfc: str = MORAL["rfc"]) -> sat.EfirmaError:
    with pytest.raises(sat.EfirmaError) as error:
        validar(cer, key, trust_store, rfc)
    return error.value


def test_a_demo_fiel_validates_end_to_end_where_the_demo_ca_is_trusted(ca, confianza):
    cer, key = emitir(ca)

    validada = validar(cer, key, confianza)

    certificado = validada.certificado
    assert (certificado.rfc, certificado.nombre) == (MORAL["rfc"], MORAL["nombre"])
    assert certificado.persona == "moral"
    assert certificado.rfc_representante == "VADA800927DJ3"
    assert (certificado.curp, certificado.curp_representante) == (None, "VADA800927HSRSRL05")
    assert certificado.es_fiel
    assert certificado.emisor == NOMBRE_CA


def test_a_demo_fiel_is_not_trusted_by_the_sat_test_cas(ca):
    cer, key = emitir(ca)

    assert rechazo(cer, key, sat.TrustStore.from_dirs(CA_PRUEBAS)).code == "emisor_no_confiable"


def test_a_demo_fiel_from_another_demo_ca_is_not_trusted(ca, confianza):
    cer, key = emitir(DemoCA.crear())

    assert rechazo(cer, key, confianza).code == "emisor_no_confiable"


def test_a_demo_csd_is_not_a_fiel(ca, confianza):
    cer, key = emitir(ca, tipo="csd")

    certificado = sat.cargar_certificado(cer)
    assert not certificado.es_fiel
    assert certificado.x509.subject.get_attributes_for_oid(x509.NameOID.ORGANIZATIONAL_UNIT_NAME)
    assert rechazo(cer, key, confianza).code == "no_es_fiel"


def test_a_demo_certificate_past_its_end_is_expired(ca, confianza):
    ayer = datetime.now(UTC) - timedelta(days=1)
    cer, key = emitir(ca, valido_hasta=ayer)

    error = rechazo(cer, key, confianza)

    assert error.code == "certificado_vencido"
    assert sat.fecha_mexico(ayer) in error.mensaje


def test_a_demo_certificate_not_yet_valid_is_refused(ca, confianza):
    cer, key = emitir(ca, valido_desde=datetime.now(UTC) + timedelta(days=2))

    assert rechazo(cer, key, confianza).code == "certificado_no_vigente_aun"


def test_a_revoked_demo_certificate_is_refused(ca, confianza):
    cer, key = emitir(ca, serial=30001000000500099001)
    revocados = {"30001000000500099001"}

    with pytest.raises(sat.EfirmaError) as error:
        sat.validar_efirma(
            cer=cer,
            key=key,
            password=PASSWORD,
            rfc=MORAL["rfc"],
            trust_store=confianza,
            ahora=datetime.now(UTC),
            revocado=lambda c: c.numero_certificado in revocados,
        )

    assert error.value.code == "certificado_revocado"


def test_a_demo_name_and_rfc_with_enye_read_back(ca, confianza):
    cer, key = emitir(ca, rfc="CÑA010101AB1", nombre="COMPAÑIA DEMO SA DE CV")

    validada = validar(cer, key, confianza, rfc="cña010101ab1")

    assert validada.certificado.rfc == "CÑA010101AB1"
    assert validada.certificado.nombre == "COMPAÑIA DEMO SA DE CV"


def test_a_demo_persona_fisica_carries_its_own_curp(ca, confianza):
    cer, key = emitir_efirma(
        ca=ca,
        rfc="VADA800927DJ3",
        nombre="ADRIANA VARGAS DURAN",
        curp="VADA800927MDFRRD02",
        password=PASSWORD,
    )

    certificado = validar(cer, key, confianza, rfc="VADA800927DJ3").certificado

    assert (certificado.rfc, certificado.curp) == ("VADA800927DJ3", "VADA800927MDFRRD02")
    assert certificado.persona == "fisica"
    assert (certificado.rfc_representante, certificado.curp_representante) == (None, None)


def test_the_company_fiel_typed_with_the_representatives_rfc_is_refused(ca, confianza):
    cer, key = emitir(ca)

    assert rechazo(cer, key, confianza, rfc="VADA800927DJ3").code == "rfc_de_representante"


def test_the_demo_subject_follows_the_sat_layout(ca):
    cer, _ = emitir(ca)

    sujeto = x509.load_der_x509_certificate(cer).subject
    valor = lambda oid: sujeto.get_attributes_for_oid(oid)[0].value  # noqa: E731

    assert valor(x509.NameOID.X500_UNIQUE_IDENTIFIER) == "ESI920427886 / VADA800927DJ3"
    assert valor(x509.NameOID.SERIAL_NUMBER) == " / VADA800927HSRSRL05"
    assert valor(x509.NameOID.COMMON_NAME) == valor(x509.NameOID.ORGANIZATION_NAME) == MORAL["nombre"]
    assert not sujeto.get_attributes_for_oid(x509.NameOID.ORGANIZATIONAL_UNIT_NAME)


def test_the_numero_de_certificado_is_20_digits_given_or_random(ca):
    dado, _ = emitir(ca, serial=30001000000500003415)
    aleatorio, _ = emitir(ca)

    assert sat.cargar_certificado(dado).numero_certificado == "30001000000500003415"
    assert sat.cargar_certificado(aleatorio).numero_certificado.isdigit()
    assert len(sat.cargar_certificado(aleatorio).numero_certificado) == 20


def test_the_demo_key_is_encrypted_pkcs8_der_and_round_trips_with_cargar_llave(ca):
    cer, key = emitir(ca)

    with pytest.raises(TypeError):
        serialization.load_der_private_key(key, None)  # encrypted: no password, no key
    assert sat.llave_corresponde(sat.cargar_certificado(cer), sat.cargar_llave(key, PASSWORD))
    with pytest.raises(sat.EfirmaError) as error:
        sat.cargar_llave(key, "otra")
    assert error.value.code == "contrasena_incorrecta"


def test_the_demo_ca_is_created_once_and_reloaded(tmp_path):
    creada = DemoCA.load_or_create(tmp_path / "demo")
    recargada = DemoCA.load_or_create(tmp_path / "demo")

    assert recargada.cert_der == creada.cert_der == (tmp_path / "demo" / "ca.cer").read_bytes()
    llave = serialization.load_der_private_key((tmp_path / "demo" / "ca.key").read_bytes(), None)
    assert llave.public_key().public_numbers() == creada.key.public_key().public_numbers()
    assert stat.S_IMODE((tmp_path / "demo" / "ca.key").stat().st_mode) == 0o600
    certificado = creada.certificado
    assert certificado.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert certificado.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == NOMBRE_CA


def test_a_saved_demo_ca_is_trusted_from_its_folder_and_issues_valid_files(tmp_path):
    ca = DemoCA.load_or_create(tmp_path / "demo")
    cer, key = emitir(ca)

    ruta_cer, ruta_key = guardar_efirma(directorio=tmp_path / "demo", rfc=MORAL["rfc"], cer=cer, key=key)

    assert (ruta_cer.name, ruta_key.name) == ("ESI920427886.cer", "ESI920427886.key")
    assert stat.S_IMODE(ruta_key.stat().st_mode) == 0o600
    confianza = sat.TrustStore.from_dirs(tmp_path / "demo")  # ca.cer kept, the e.firma itself skipped
    assert len(confianza) == 1
    assert validar(ruta_cer.read_bytes(), ruta_key.read_bytes(), confianza).certificado.rfc == MORAL["rfc"]


def test_guardar_efirma_keeps_enye_and_ampersand_in_file_names(ca, tmp_path):
    cer, key = emitir(ca, rfc="H&Ñ951128469")

    ruta_cer, ruta_key = guardar_efirma(directorio=tmp_path, rfc="H&Ñ951128469", cer=cer, key=key)

    assert ruta_cer == tmp_path / "H&Ñ951128469.cer"
    assert sat.cargar_certificado(ruta_cer.read_bytes()).rfc == "H&Ñ951128469"
    assert ruta_key.read_bytes() == key


def test_an_unknown_tipo_is_a_programming_error(ca):
    with pytest.raises(ValueError):
        emitir(ca, tipo="sello")
