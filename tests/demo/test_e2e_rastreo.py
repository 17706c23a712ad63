"""A crawl of `make run`'s demo as every demo person `cargar_demo` prints (IMSS staff, the capturista, the five
contratistas): from each person's first page, every link of every page reached is followed, and none may
answer a 5xx, be a broken link (404) or lead to a page that person may not open (403).

How it crawls:
- The people come from what `cargar_demo` printed (the staff user and the capturista's CURP and password, the
  contratistas' RFCs), checked against the database it made.
- Staff and the contratistas enter by session cookie (a contratista's real login is its e.firma, tested in
  tests/contratistas); a contratista then accepts the términos y condiciones through its form, as on its first
  login. The capturista logs in once through the real /acceso/ form in Chromium with the printed CURP and
  password, and the crawl carries that session. A capturista works for the contratista selected in its
  session: it is crawled once per contratista it serves, each chosen through «Seleccionar contratista».
- Each person's first page opens in Chromium over live_server; the crawl itself goes through Django's test
  Client with that person's session (the same URLs, middleware and views, in-process: fast, and a 5xx comes
  with its traceback).
- GET only, same origin: `<a href>` links, and GET forms sent as a person sends them untouched (a period
  chosen in a list that has none; each named submit button once); never the logout. One visit per URL pattern (its url_name), the
  names of its query parameters and the kind of each object it names (model, and estatus/tipo when the model
  has them: an informativa en captura and a presentada are two kinds). The admin's query strings (sort,
  filters, search, pagination) are left out, so the crawl ends. A download (anything not HTML) is checked
  for its status (and read to its end, so a streamed file that fails midway counts).
- Whatever the crawl's GETs changed in the database is a bug (a GET must not change state): every row of every
  table is compared before and after, apart from the tables a read is meant to write (below).
"""

from __future__ import annotations

import hashlib
import io
import re
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve
from playwright.sync_api import Page

from accounts.models import User
from capturistas.models import Relacion
from contratistas.models import Contratista

pytestmark = [pytest.mark.e2e, pytest.mark.solo_make_run, pytest.mark.django_db(transaction=True)]

# Links never followed: they end the session or leave the portal's pages for the browser's own handling.
NUNCA = ("/cuenta/logout/", "/admin/logout/")
# Models a read may write, with the reason. Anything else the crawl changes is a GET that changes state.
ESCRITURAS_DE_LECTURA = {
    "django_session": "the session itself (last activity, messages, the selected contratista)",
    "firma.RetoEfirma": "opening an e.firma form issues the one-time challenge it signs",
    "core.Bitacora": "the audit trail records who viewed or downloaded what",
}
# 404s the crawl may meet behind a link of the portal, with the reason (none yet: every one is a defect).
NOT_FOUND_ESPERADOS: dict[str, str] = {}


@dataclass
class Visita:
    url: str
    status: int
    desde: str
    traza: str = ""


@dataclass
class Rastreo:
    persona: str
    cliente: Client
    visitas: list[Visita] = field(default_factory=list)
    vistos: set[tuple] = field(default_factory=set)
    tipos: dict[str, tuple] = field(default_factory=dict)

    @property
    def paginas(self) -> int:
        return len(self.visitas)


class _Ligas(HTMLParser):
    """The page's ``<a href>`` links, and its GET forms as a person sends them untouched (each named submit
    button once: «Descargar acuses (ZIP)» and «Descargar resumen (Excel)» are two requests)."""

    def __init__(self) -> None:
        super().__init__()
        self.ligas: list[tuple[str, str]] = []  # (URL, variant: a form's named submit button)
        self._form: dict | None = None
        self._select: tuple[str, list[tuple[str, bool]]] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.ligas.append((a["href"], ""))
        elif tag == "form" and (a.get("method") or "get").lower() == "get":
            self._form = {"action": a.get("action") or "", "campos": [], "botones": []}
        elif tag == "option" and self._select is not None:
            self._select[1].append((a.get("value") or "", "selected" in a))
        elif self._form is None or not a.get("name"):
            return
        elif tag == "button" or (tag == "input" and a.get("type") in ("submit", "image")):
            if a.get("type", "submit") == "submit":
                self._form["botones"].append((a["name"], a.get("value", "")))
        elif tag == "input" and (a.get("type") not in ("checkbox", "radio") or "checked" in a):
            self._form["campos"].append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = (a["name"], [])
        elif tag == "textarea":
            self._form["campos"].append((a["name"], ""))

    def handle_startendtag(self, tag, attrs) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag) -> None:
        if tag == "select" and self._select and self._form is not None:
            nombre, opciones = self._select
            # what is selected, else the first real choice (a person picks a period to download its acuses;
            # Django marks the empty "--Selecciona--" as selected)
            elegidas = [v for v, sel in opciones if sel and v] or [v for v, _ in opciones if v][:1]
            self._form["campos"] += [(nombre, v) for v in elegidas]
            self._select = None
        elif tag == "form" and self._form is not None:
            accion, campos = self._form["action"], self._form["campos"]
            for boton in self._form["botones"] or [None]:
                consulta = urlencode(campos + ([boton] if boton else []))
                self.ligas.append((f"{accion.split('?')[0]}?{consulta}", "=".join(boton) if boton else ""))
            self._form = None


def ligas_de(html: str) -> list[tuple[str, str]]:
    parser = _Ligas()
    parser.feed(html)
    return parser.ligas


def _modelos_con_code():
    return [m for m in apps.get_models() if any(f.name == "code" for f in m._meta.get_fields())]


def clase_de_objeto(valor: str, rastreo: Rastreo) -> tuple:
    """The kind of the object a URL names by its code: its model, with estatus and tipo when it has them."""
    if valor not in rastreo.tipos:
        rastreo.tipos[valor] = ()
        for modelo in _modelos_con_code():
            objeto = modelo._default_manager.filter(code=valor).first()
            if objeto is not None:
                rastreo.tipos[valor] = (
                    modelo._meta.label,
                    getattr(objeto, "estatus", None),
                    getattr(objeto, "tipo", None),
                )
                break
    return rastreo.tipos[valor]


def normalizar(url: str) -> str | None:
    """The local URL to visit for a link (no fragment; the admin without its query string), or None."""
    partes = urlsplit(url)
    if partes.scheme not in ("", "http", "https") or (partes.netloc and partes.netloc != "testserver"):
        return None
    ruta = partes.path
    if not ruta.startswith("/") or ruta.startswith(NUNCA):
        return None
    if ruta.startswith("/admin/"):
        return ruta
    return ruta + (f"?{partes.query}" if partes.query else "")


def clave(url: str, rastreo: Rastreo) -> tuple:
    """One visit per URL pattern, query parameter names and kind of each object named."""
    partes = urlsplit(url)
    try:
        coincidencia = resolve(partes.path)
    except Resolver404:
        return ("404", partes.path)
    clases = []
    for nombre, valor in sorted(coincidencia.kwargs.items()):
        texto = str(valor)
        if re.fullmatch(r"[0-9a-f-]{32,36}", texto):
            clases.append((nombre, clase_de_objeto(texto, rastreo)))
        elif coincidencia.view_name.startswith("admin:") and nombre == "object_id":
            clases.append((nombre, _clase_admin(coincidencia.view_name, texto)))
        elif nombre in ("anio", "cuatrimestre"):
            continue  # the period: its kind is the informativa's, looked up below
        else:
            clases.append((nombre, texto))
    if coincidencia.view_name == "informativas:periodo" or coincidencia.view_name.endswith(
        "periodo_sin_informacion"
    ):
        clases.append(("periodo", _clase_periodo(coincidencia.kwargs)))
    parametros = tuple(sorted({k for k, _ in parse_qsl(partes.query, keep_blank_values=True)}))
    return (coincidencia.view_name, parametros, tuple(clases))


def _clase_admin(view_name: str, object_id: str) -> tuple:
    # admin:<app>_<model>_change: one visit per model, and per estatus/tipo when the model has them
    app_modelo = view_name.removeprefix("admin:").rsplit("_", 1)[0]
    for m in apps.get_models():
        if f"{m._meta.app_label}_{m._meta.model_name}" == app_modelo:
            objeto = m._default_manager.filter(pk=object_id).first() if object_id.isdigit() else None
            return (m._meta.label, getattr(objeto, "estatus", None), getattr(objeto, "tipo", None))
    return (app_modelo,)


def _clase_periodo(kwargs) -> tuple:
    from informativas.models import Informativa

    informativa = (
        Informativa.objects.filter(
            contratista__code=kwargs["contratista_code"],
            anio=kwargs["anio"],
            cuatrimestre=kwargs["cuatrimestre"],
        )
        .order_by("-created_at")
        .first()
    )
    return (informativa.estatus, informativa.tipo) if informativa else ("sin informativa",)


def es_html(respuesta) -> bool:
    return respuesta.get("Content-Type", "").startswith("text/html") and not respuesta.get(
        "Content-Disposition", ""
    ).startswith("attachment")


def visitar(rastreo: Rastreo, url: str, desde: str) -> str | None:
    """GETs ``url`` (no redirects followed here); records it and returns the HTML to parse, if any."""
    respuesta = rastreo.cliente.get(url)
    traza = ""
    if respuesta.status_code >= 500 and getattr(respuesta, "exc_info", None):
        tipo, valor, tb = respuesta.exc_info
        marcos = traceback.extract_tb(tb)
        propios = [m for m in marcos if "/.venv/" not in m.filename and "site-packages" not in m.filename]
        donde = propios[-1] if propios else marcos[-1]
        traza = f"{tipo.__name__}: {valor} (at {donde.filename}:{donde.lineno} in {donde.name})"
    rastreo.visitas.append(Visita(url, respuesta.status_code, desde, traza))
    if respuesta.streaming:
        for _ in respuesta.streaming_content:  # a streamed download that fails midway fails here
            pass
        return None
    if respuesta.status_code in (301, 302, 303, 307, 308):
        return f'<a href="{respuesta["Location"]}"></a>'
    return respuesta.content.decode(respuesta.charset or "utf-8") if es_html(respuesta) else None


def rastrear(rastreo: Rastreo, inicio: str) -> None:
    pendientes: list[tuple[str, str, str]] = [(inicio, "(inicio)", "")]
    while pendientes:
        url, desde, variante = pendientes.pop(0)
        llave = (*clave(url, rastreo), variante)
        if llave in rastreo.vistos:
            continue
        rastreo.vistos.add(llave)
        html = visitar(rastreo, url, desde)
        if html is None:
            continue
        for liga, variante in ligas_de(html):
            siguiente = normalizar(urljoin("http://testserver" + url, liga))
            if siguiente is not None:
                pendientes.append((siguiente, url, variante))


def foto_de_la_base() -> dict[str, tuple[int, str]]:
    """Every row of every table (its count and a digest of its values): what a GET must not change."""
    foto = {}
    for modelo in apps.get_models():
        etiqueta = "django_session" if modelo._meta.label == "sessions.Session" else modelo._meta.label
        filas = list(modelo._default_manager.order_by("pk").values_list())
        foto[etiqueta] = (len(filas), hashlib.sha256(repr(filas).encode()).hexdigest()[:16])
    return foto


def entrar_por_cookie(usuario: User) -> Client:
    cliente = Client(raise_request_exception=False)
    cliente.force_login(usuario)
    return cliente


def abrir_en_el_navegador(page: Page, live_server, cliente: Client, ruta: str) -> int:
    """The person's first page in Chromium, with the crawl's session: its status."""
    page.context.clear_cookies()
    cookie = cliente.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    respuesta = page.goto(live_server.url + ruta)
    assert respuesta is not None
    return respuesta.status


def test_every_demo_person_crawls_the_portal_without_a_5xx_or_a_broken_link(
    page: Page, live_server, como_make_run, capsys
):
    salida = io.StringIO()
    call_command("cargar_demo", stdout=salida)
    salida = salida.getvalue()
    staff_usuario = re.search(r"Administración IMSS:\s+\S+/admin/\s+usuario (\S+) / \S+", salida).group(1)
    curp, contrasena = re.search(r"Capturista \(CURP\):\s+\S+/acceso/\s+(\S+) / (\S+)", salida).groups()
    rfcs = re.findall(r"^    ([A-ZÑ&]{3,4}\d{6}[A-Z0-9]{3}) ", salida, flags=re.MULTILINE)
    assert len(rfcs) == 5, salida
    assert Contratista.objects.count() == 5
    assert User.objects.filter(rol=User.Rol.CAPTURISTA).count() == 1
    staff = User.objects.get(username=staff_usuario, is_staff=True)
    capturista = User.objects.get(username=curp, rol=User.Rol.CAPTURISTA)
    contratistas = [Contratista.objects.get(rfc=rfc) for rfc in rfcs]
    servidos = Relacion.objects.filter(capturista=capturista, estatus=Relacion.Estatus.ACTIVA)
    assert sorted(servidos.values_list("contratista__rfc", flat=True)) == sorted(rfcs)

    page.set_default_timeout(60_000)  # a shared machine may be slow
    inicio = time.monotonic()

    # Every person enters before the crawl starts (their logins write; the crawl's GETs must not)
    personas: list[tuple[str, Client]] = [(f"staff {staff.username}", entrar_por_cookie(staff))]
    for contratista in contratistas:
        # first login: the términos y condiciones, through their form
        # (when the migration's version is there: a transactional test before this one flushes it)
        cliente = entrar_por_cookie(contratista.usuario)
        if cliente.get("/inicio/").get("Location") == "/acceso/terminos/":
            assert cliente.post("/acceso/terminos/", {"acepto": "on"}).status_code == 302
        assert cliente.get("/inicio/").status_code == 200
        personas.append((f"contratista {contratista.rfc}", cliente))
    # The capturista: the real login form, once, with the printed CURP and password
    page.goto(live_server.url + "/acceso/")
    page.get_by_label("Usuario (CURP)").fill(curp)
    page.get_by_label("Contraseña").fill(contrasena)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(lambda url: "/acceso/" not in url)
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    del_capturista = Client(raise_request_exception=False)
    del_capturista.cookies[settings.SESSION_COOKIE_NAME] = cookie["value"]

    antes = foto_de_la_base()
    rastreos: list[Rastreo] = []
    for persona, cliente in personas:
        primera = "/admin/" if persona.startswith("staff") else "/inicio/"
        assert abrir_en_el_navegador(page, live_server, cliente, primera) == 200, persona
        rastreo = Rastreo(persona, cliente)
        rastrear(rastreo, primera)
        rastreos.append(rastreo)
    # A capturista works for the contratista selected in its session: one crawl for each it serves
    for contratista in contratistas:
        # «Seleccionar contratista», both steps, as the capturista does it
        confirmar = del_capturista.post("/usuarios/seleccionar/", {"contratista": str(contratista.code)})
        assert confirmar.status_code == 302, confirmar.content[:2000]
        assert del_capturista.post(confirmar["Location"]).status_code == 302
        assert abrir_en_el_navegador(page, live_server, del_capturista, "/inicio/") == 200
        rastreo = Rastreo(f"capturista {curp} para {contratista.rfc}", del_capturista)
        rastrear(rastreo, "/inicio/")
        rastreos.append(rastreo)

    duracion = time.monotonic() - inicio
    despues = foto_de_la_base()

    errores = [(r.persona, v) for r in rastreos for v in r.visitas if v.status >= 500]
    rotas = [
        (r.persona, v)
        for r in rastreos
        for v in r.visitas
        if v.status == 404 and urlsplit(v.url).path not in NOT_FOUND_ESPERADOS
    ]
    prohibidas = [(r.persona, v) for r in rastreos for v in r.visitas if v.status == 403]
    cambios = {
        modelo: (antes.get(modelo), despues[modelo])
        for modelo in despues
        if antes.get(modelo) != despues[modelo] and modelo not in ESCRITURAS_DE_LECTURA
    }
    with capsys.disabled():  # shown even when pytest captures output: `make test` prints the counts
        print(f"\nRastreo de la demo de make run ({duracion:.1f} s):")
        for r in rastreos:
            estados = Counter(v.status for v in r.visitas)
            print(
                f"  {r.persona}: {r.paginas} páginas ({', '.join(f'{s}: {n}' for s, n in sorted(estados.items()))})"
            )
        for titulo, lista in (
            ("5xx", errores),
            ("404 (liga rota)", rotas),
            ("403 (liga a una página ajena)", prohibidas),
        ):
            for persona, v in lista:
                print(f"  {titulo}: {persona}: {v.url} (liga en {v.desde}) {v.traza}")
        for modelo, (a, d) in cambios.items():
            print(f"  GET que cambió la base: {modelo}: {a} -> {d}")

    assert not errores, "\n".join(f"{p}: {v.url} ← {v.desde}: {v.status} {v.traza}" for p, v in errores)
    assert not rotas, "\n".join(f"{p}: {v.url} ← {v.desde}" for p, v in rotas)
    # A link the person is shown to a page it may not open is a defect too (staff once saw the Informativa menu)
    assert not prohibidas, "\n".join(f"{p}: {v.url} ← {v.desde}" for p, v in prohibidas)
    assert not cambios, cambios
    assert all(r.paginas > 5 for r in rastreos), [(r.persona, r.paginas) for r in rastreos]
