from tests.informativas.conftest import (  # noqa: F401
    contratista,
    contrato,
    hoy_fijo,
    informativa,
    otro_contratista,
    padron_sat,
)
