from __future__ import annotations

from tests.efirma_sat import _trust_store_nuevo, demo_efirma, sin_bloqueos, var_dir

__all__ = [
    "_trust_store_nuevo",
    "demo_efirma",
    "sin_bloqueos",
    "var_dir",
]  # the e.firma tests' fixtures, for firma's tests too
