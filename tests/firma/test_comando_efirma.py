from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from firma import sat
from firma.models import AutoridadCertificadora, CertificadoRevocado
from tests.efirma_sat import NO_SAT

pytestmark = pytest.mark.django_db


def test_efirma_demo_writes_a_valid_fiel_and_prints_its_password(var_dir):
    salida = StringIO()

    call_command("efirma", "demo", "--rfc", "esi920427886", "--nombre", "EMPRESA DEMO SA DE CV", stdout=salida)

    cer = var_dir / "demo-efirma" / "ESI920427886.cer"
    key = var_dir / "demo-efirma" / "ESI920427886.key"
    assert "Contraseña:     12345678a" in salida.getvalue()
    assert str(cer) in salida.getvalue()
    certificado = sat.cargar_certificado(cer.read_bytes())
    assert certificado.rfc == "ESI920427886"
    assert certificado.es_fiel
    assert (var_dir / "demo-efirma" / "ca.cer").exists()
    from tests.firma_navegador import validar_efirma

    validada = validar_efirma(cer=cer.read_bytes(), key=key.read_bytes(), password="12345678a", rfc="ESI920427886")
    assert validada.nombre == "EMPRESA DEMO SA DE CV"


def test_efirma_confiar_adds_a_ca_once(tmp_path, var_dir):
    from firma.demo import DemoCA

    otra_ca = DemoCA.load_or_create(tmp_path / "otra-ca")
    archivo = tmp_path / "otra-ca" / "ca.cer"

    call_command("efirma", "confiar", str(archivo), stdout=StringIO())
    call_command("efirma", "confiar", str(archivo), stdout=StringIO())

    ca = AutoridadCertificadora.objects.get()
    assert bytes(ca.certificado) == otra_ca.cert_der
    assert not ca.de_pruebas


def test_efirma_confiar_refuses_a_file_that_is_not_a_ca(tmp_path):
    with pytest.raises(CommandError, match="autoridad certificadora"):
        call_command("efirma", "confiar", str(NO_SAT.cer), stdout=StringIO())
    basura = tmp_path / "basura.cer"
    basura.write_bytes(b"no soy un certificado")
    with pytest.raises(CommandError, match="no es un certificado válido"):
        call_command("efirma", "confiar", str(basura), stdout=StringIO())
    assert not AutoridadCertificadora.objects.exists()


def test_efirma_revocar_adds_to_the_local_list():
    call_command("efirma", "revocar", "30001000000500003415", "--motivo", "pérdida", stdout=StringIO())

    assert CertificadoRevocado.objects.get().motivo == "pérdida"
