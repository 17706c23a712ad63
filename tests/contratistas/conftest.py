"""Fixtures of the contratistas tests: the SEPOMEX sample loaded by the real importer, real PDF files made with
pypdf, and the SAT registry stand-in."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter

from tests.efirma_sat import (  # noqa: F401 (the e.firma login's fixtures)
    _trust_store_nuevo,
    demo_efirma,
    informes_de_error,
    sin_bloqueos,
    var_dir,
)

MB = 1024 * 1024


def pdf(*, relleno: int = 0, paginas: int = 1) -> bytes:
    """A real PDF (opened back by pypdf in the portal); ``relleno`` bytes ride in an embedded file."""
    writer = PdfWriter()
    for _ in range(paginas):
        writer.add_blank_page(width=612, height=792)
    if relleno:
        writer.add_attachment("relleno.bin", bytes(range(256)) * (relleno // 256 + 1))
    salida = io.BytesIO()
    writer.write(salida)
    return salida.getvalue()


# A 1x1 PNG (signature, IHDR, IDAT, IEND): what a ".pdf" that is really an image looks like.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4e50000000049454e44ae426082"
)


@pytest.fixture
def sepomex(db):
    """The sample shipped with the portal, loaded by the importer itself."""
    from contratistas.sepomex import muestra
    from contratistas.services import sepomex_importar

    return sepomex_importar(contenido=muestra().read_bytes())


@pytest.fixture
def padron_fiscal(db, contratista):
    """The SAT registry stand-in knows the persona moral's domicilio fiscal."""
    from contratistas.models import ContribuyenteSat

    return ContribuyenteSat.objects.create(
        rfc=contratista.rfc,
        razon_social=contratista.razon_social,
        codigo_postal="06600",
        estado="Ciudad de México",
        municipio="Cuauhtémoc",
        colonia="Juárez",
        calle="PASEO DE LA REFORMA",
        numero_exterior="222",
    )


@pytest.fixture
def padron_fiscal_fisica(db, otro_contratista):
    from contratistas.models import ContribuyenteSat

    return ContribuyenteSat.objects.create(
        rfc=otro_contratista.rfc,
        razon_social=otro_contratista.razon_social,
        codigo_postal="44100",
        estado="Jalisco",
        municipio="Guadalajara",
        colonia="Guadalajara Centro",
        calle="AV. JUÁREZ",
        numero_exterior="10",
    )
