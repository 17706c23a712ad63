"""Pages of a list without counting it: one query per page instead of Django's Paginator's two.

The page asks for one row more than it shows: that row says whether a next page exists. The total is never
counted, so the page says "Página 2", not "Página 2 de 7". For the pages opened most on the filing deadline
(the bandeja), where a count would be a second query on every request while almost every list fits one page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class PaginaSinConteo:
    """What templates/informativas/fragment_paginacion.html reads of a page (``paginator`` is None: no total)."""

    object_list: list[Any]
    number: int
    has_next: bool
    paginator: None = None

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


# Beyond any real list; keeps the OFFSET of a made-up page number inside what the database accepts.
PAGINA_MAXIMA = 1_000_000


def numero_de_pagina(valor: Any) -> int:
    """The page number a query string asks for: anything that is not a positive number is page 1."""
    try:
        return min(max(1, int(valor)), PAGINA_MAXIMA)
    except (TypeError, ValueError):
        return 1


def pagina_sin_conteo(consulta: QuerySet, numero: Any, *, por_pagina: int) -> PaginaSinConteo:
    """Page ``numero`` (text from the query string; anything that is not a positive number is page 1) of an
    ordered queryset, in one query. A page past the end (an old link after deleting) shows the last page: that
    rare case alone counts the rows."""
    numero = numero_de_pagina(numero)
    filas = list(consulta[(numero - 1) * por_pagina : numero * por_pagina + 1])
    if not filas and numero > 1:
        ultima = max(1, -(-consulta.count() // por_pagina))
        return pagina_sin_conteo(consulta, ultima, por_pagina=por_pagina)
    return PaginaSinConteo(object_list=filas[:por_pagina], number=numero, has_next=len(filas) > por_pagina)
