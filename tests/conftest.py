"""Shared fixtures: the repository's config and templates, and copies of fixture data trees."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONFIG = ROOT / "config.yaml"
TEMPLATES = ROOT / "templates"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small fixture workspace (config.yaml + data/)."""
    dest = tmp_path / "ws"
    shutil.copytree(FIXTURES / "mini", dest)
    shutil.copy(CONFIG, dest / "config.yaml")
    return dest


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A writable copy of the example workspace (config.yaml, data/), as an office has it."""
    dest = tmp_path / "ho-so"
    dest.mkdir()
    shutil.copy(CONFIG, dest / "config.yaml")
    shutil.copytree(ROOT / "data", dest / "data")
    return dest


@pytest.fixture(autouse=True)
def _vietnamese_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests expect the default Vietnamese messages whatever the machine's locale is."""
    monkeypatch.setenv("DOCGEN_LANG", "vi")
