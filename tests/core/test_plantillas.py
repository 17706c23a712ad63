"""Template hygiene: Django's ``{# … #}`` comment is single-line only; a multi-line one is printed on the page."""

from pathlib import Path

from django.conf import settings

RAIZ = Path(settings.BASE_DIR)


def _plantillas() -> list[Path]:
    return [p for p in RAIZ.glob("**/templates/**/*.html") if ".venv" not in p.parts]


def test_hay_plantillas_que_revisar():
    assert len(_plantillas()) > 50


def test_ningun_comentario_de_una_linea_abarca_varias():
    abiertos = []
    for ruta in _plantillas():
        for numero, linea in enumerate(ruta.read_text(encoding="utf-8").splitlines(), start=1):
            resto = linea
            while "{#" in resto:
                resto = resto[resto.index("{#") + 2 :]
                if "#}" not in resto:
                    abiertos.append(f"{ruta.relative_to(RAIZ)}:{numero}")
                    break
                resto = resto[resto.index("#}") + 2 :]
    assert abiertos == [], "usa {% comment %} para comentarios de varias líneas: " + ", ".join(abiertos)


def test_el_resumen_de_errores_no_muestra_el_comentario(client):
    from django import forms
    from django.template.loader import render_to_string

    class Formulario(forms.Form):
        nombre = forms.CharField()

    formulario = Formulario(data={})
    assert not formulario.is_valid()
    html = render_to_string("partials/fragment_form_errores.html", {"form": formulario})
    assert "Revisa estos campos" in html or "obligatorio" in html
    assert "{#" not in html and "error summary" not in html
