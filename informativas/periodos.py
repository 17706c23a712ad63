"""Cuatrimestres, filing windows and deadlines (DOF 13/04/2022, numerals 5.3 to 5.5).

All dates are calendar dates in Central Mexico time (America/Mexico_City, the project's TIME_ZONE). The
deadline, lateness and days left come from ``plazos.services`` (the 17th of the month after the cuatrimestre,
moved to the next business day under CFF art. 12); a Periodo only asks it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from plazos import reloj
from plazos import services as plazos

MESES = (
    "Enero",
    "Febrero",
    "Marzo",
    "Abril",
    "Mayo",
    "Junio",
    "Julio",
    "Agosto",
    "Septiembre",
    "Octubre",
    "Noviembre",
    "Diciembre",
)
ORDINALES = {1: "Primero", 2: "Segundo", 3: "Tercero"}
# Before a noun the ordinal is apocopated: "primer cuatrimestre", "tercer cuatrimestre".
ORDINALES_ANTES_DE_NOMBRE = {1: "Primer", 2: "Segundo", 3: "Tercer"}
PRIMER_ANIO = 2021  # ICSOE opened on 27 Aug 2021


def hoy() -> datetime.date:
    """Today in Central Mexico time: the test clock shared by every process (ICSOE_RELOJ_PRUEBA), else the fixed
    date of the ICSOE_HOY setting (demos and tests), else the real date (``plazos.reloj``)."""
    return reloj.hoy()


@dataclass(frozen=True)
class Periodo:
    anio: int
    cuatrimestre: int

    def __post_init__(self) -> None:
        if self.cuatrimestre not in ORDINALES:
            raise ValueError(f"cuatrimestre fuera de rango: {self.cuatrimestre}")

    @property
    def mes_inicial(self) -> int:
        return (self.cuatrimestre - 1) * 4 + 1

    @property
    def mes_final(self) -> int:
        return self.mes_inicial + 3

    @property
    def nombre_mes_inicial(self) -> str:
        return MESES[self.mes_inicial - 1]

    @property
    def nombre_mes_final(self) -> str:
        return MESES[self.mes_final - 1]

    @property
    def nombre(self) -> str:
        """As the guide's "Periodo a informar" select shows it: "Enero - Abril"."""
        return f"{self.nombre_mes_inicial} - {self.nombre_mes_final}"

    @property
    def descripcion(self) -> str:
        """The period inside a sentence, "la informativa Normal del cuatrimestre Mayo – Agosto 2025"."""
        return f"cuatrimestre {self.nombre_mes_inicial} – {self.nombre_mes_final} {self.anio}"

    @property
    def ordinal(self) -> str:
        return ORDINALES[self.cuatrimestre]

    @property
    def cuatrimestre_texto(self) -> str:
        """"Primer cuatrimestre", "Segundo cuatrimestre", "Tercer cuatrimestre"."""
        return f"{ORDINALES_ANTES_DE_NOMBRE[self.cuatrimestre]} cuatrimestre"

    @property
    def cuatrimestre_del_anio(self) -> str:
        """"Primer cuatrimestre de 2026"."""
        return f"{self.cuatrimestre_texto} de {self.anio}"

    @property
    def inicio(self) -> datetime.date:
        return datetime.date(self.anio, self.mes_inicial, 1)

    @property
    def fin(self) -> datetime.date:
        return self.siguiente_dia - datetime.timedelta(days=1)

    @property
    def siguiente_dia(self) -> datetime.date:
        """The first day after the cuatrimestre: the day the filing window opens."""
        if self.cuatrimestre == 3:
            return datetime.date(self.anio + 1, 1, 1)
        return datetime.date(self.anio, self.mes_final + 1, 1)

    @property
    def clave(self) -> str:
        """ "2026-1": the period in a URL or a form (``Periodo.de_clave`` reads it back)."""
        return f"{self.anio}-{self.cuatrimestre}"

    @classmethod
    def de_clave(cls, clave: str) -> Periodo | None:
        """The period of a ``clave``; None when it is not one."""
        anio, _, cuatrimestre = clave.partition("-")
        try:
            return cls(int(anio), int(cuatrimestre))
        except ValueError:
            return None

    @classmethod
    def de_fecha(cls, fecha: datetime.date) -> Periodo:
        """The cuatrimestre ``fecha`` falls in."""
        return cls(fecha.year, (fecha.month - 1) // 4 + 1)

    @property
    def anterior(self) -> Periodo:
        """The cuatrimestre before this one."""
        if self.cuatrimestre == 1:
            return Periodo(self.anio - 1, 3)
        return Periodo(self.anio, self.cuatrimestre - 1)

    @property
    def siguiente(self) -> Periodo:
        """The cuatrimestre after this one."""
        return Periodo.de_fecha(self.siguiente_dia)

    @property
    def fecha_limite(self) -> datetime.date:
        return plazos.fecha_limite(anio=self.anio, cuatrimestre=self.cuatrimestre)

    def concluido(self, *, fecha: datetime.date) -> bool:
        return fecha >= self.siguiente_dia

    def es_extemporanea(self, *, fecha: datetime.date) -> bool:
        return plazos.es_extemporanea(anio=self.anio, cuatrimestre=self.cuatrimestre, fecha=fecha)

    def dias_restantes(self, *, hoy: datetime.date) -> int:
        return plazos.dias_restantes(anio=self.anio, cuatrimestre=self.cuatrimestre, hoy=hoy)

    def contiene(self, fecha: datetime.date) -> bool:
        return self.inicio <= fecha <= self.fin

    def __str__(self) -> str:
        return f"{self.nombre} {self.anio}"


def fecha_larga(fecha: datetime.date) -> str:
    """ "18 de mayo de 2026"."""
    return f"{fecha.day} de {MESES[fecha.month - 1].lower()} de {fecha.year}"


@dataclass(frozen=True)
class PlazoDePeriodo:
    """A period's deadline seen from one day: the bandeja, the board's columns, the period page, the reminders."""

    periodo: Periodo
    fecha_limite: datetime.date
    dias: int  # calendar days left; negative once the deadline has passed

    @classmethod
    def de(cls, periodo: Periodo, *, fecha_limite: datetime.date, hoy: datetime.date) -> PlazoDePeriodo:
        return cls(periodo=periodo, fecha_limite=fecha_limite, dias=(fecha_limite - hoy).days)

    def _leyenda(self, fecha: str, *, vence_hoy: str) -> str:
        if self.dias < 0:
            return f"Venció el {fecha}"
        if self.dias == 0:
            return vence_hoy.format(fecha=fecha)
        faltan = "falta 1 día" if self.dias == 1 else f"faltan {self.dias} días"
        return f"Vence el {fecha} ({faltan})"

    @property
    def leyenda(self) -> str:
        """ "Vence el 18 de mayo de 2026 (faltan 5 días)", "Vence hoy, 18 de mayo de 2026", "Venció el …"."""
        return self._leyenda(fecha_larga(self.fecha_limite), vence_hoy="Vence hoy, {fecha}")

    @property
    def leyenda_corta(self) -> str:
        """The board's column: "Vence el 18/05/2026 (faltan 5 días)", "Vence el 18/05/2026 (hoy)", "Venció el …"."""
        return self._leyenda(self.fecha_limite.strftime("%d/%m/%Y"), vence_hoy="Vence el {fecha} (hoy)")


def periodo_choices() -> list[tuple[int, str]]:
    return [(c, Periodo(2000, c).nombre) for c in ORDINALES]


def anios_disponibles(*, fecha: datetime.date | None = None) -> list[int]:
    fecha = fecha or hoy()
    return list(range(fecha.year, PRIMER_ANIO - 1, -1))
