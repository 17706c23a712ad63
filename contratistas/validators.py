"""Reusable checks of what a contratista types or uploads."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.deconstruct import deconstructible

from core.lector_seguro import LecturaError, pdf_paginas

TAMANO_MAXIMO_PDF = 5 * 1024 * 1024
# PDF 1.7 (ISO 32000-1, 7.5.2) lets readers accept the header within the first 1024 bytes.
_VENTANA_ENCABEZADO = 1024

MENSAJE_VACIO = "El archivo está vacío."
MENSAJE_TAMANO = "El archivo excede el tamaño máximo de 5 MB."
MENSAJE_NO_PDF = "El archivo no es un PDF. Adjunta el acuse en formato PDF."
MENSAJE_PDF_DANADO = "El archivo PDF está dañado o no se puede leer."
MENSAJE_CORREO_INVALIDO = "Captura un correo electrónico válido, por ejemplo nombre@empresa.com.mx."


def validar_pdf(archivo: UploadedFile) -> bytes:
    """Checks that an upload is a real, readable PDF of at most 5 MB (never trusting its name or content type)
    and returns its bytes."""
    if not archivo.size:
        raise ValidationError(MENSAJE_VACIO, code="vacio")
    if archivo.size > TAMANO_MAXIMO_PDF:
        raise ValidationError(MENSAJE_TAMANO, code="tamano")
    archivo.seek(0)
    contenido = archivo.read()
    archivo.seek(0)
    if b"%PDF-" not in contenido[:_VENTANA_ENCABEZADO]:
        raise ValidationError(MENSAJE_NO_PDF, code="no_pdf")
    try:
        paginas = pdf_paginas(contenido)  # pypdf, through the one owner of reading an untrusted file
    except LecturaError:
        raise ValidationError(MENSAJE_PDF_DANADO, code="pdf_danado") from None
    if paginas < 1:
        raise ValidationError(MENSAJE_PDF_DANADO, code="pdf_danado")
    return contenido


@deconstructible
class CelularValidator:
    """A Mexican mobile number: 10 digits (the national numbering plan since 2019)."""

    message = "El celular debe tener 10 dígitos."
    code = "celular"

    def __call__(self, valor: str) -> None:
        if not re.fullmatch(r"\d{10}", valor or ""):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, otro: object) -> bool:
        return isinstance(otro, CelularValidator)


@deconstructible
class RegistroRepseValidator:
    """The folio of the registro ante la STPS (REPSE) as the STPS register prints it: ``AR``, the digits of the
    registration, ``/`` and the four-digit year it was granted (the register opened in 2021), e.g.
    ``AR12345/2021``."""

    message = (
        "El número de registro REPSE no tiene el formato de la STPS: escribe AR, los dígitos del registro, "
        "una diagonal y el año, como aparece en tu acuse (por ejemplo AR12345/2021)."
    )
    code = "registro_repse"

    def __call__(self, valor: str) -> None:
        coincide = re.fullmatch(r"AR\d{1,10}/(\d{4})", valor or "")
        if not coincide or int(coincide.group(1)) < 2021:
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, otro: object) -> bool:
        return isinstance(otro, RegistroRepseValidator)


def solo_digitos(valor: str) -> str:
    """What people type around phone numbers (spaces, dashes, dots, parentheses) removed."""
    return re.sub(r"[\s\-().]", "", valor or "")
