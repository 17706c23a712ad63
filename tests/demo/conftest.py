"""`make run`'s settings for the demo's tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def como_make_run(settings, tmp_path):
    """DEBUG on as `make run` sets it, with var/ (demo e.firma, sello) in a folder of this test, on a fixed day
    (the board's periods: May–Aug 2026 back to Sep–Dec 2024)."""
    settings.DEBUG = True
    settings.ICSOE_HOY = "2026-11-20"
    settings.ICSOE_VAR_DIR = tmp_path / "var"
    settings.ICSOE_SIGNING_CERT = str(tmp_path / "var" / "sello-portal" / "portal.cer")
    settings.ICSOE_SIGNING_KEY = str(tmp_path / "var" / "sello-portal" / "portal.key")
    return tmp_path / "var"
