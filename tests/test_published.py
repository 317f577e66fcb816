"""What is committed for users (templates, JSON Schemas) is exactly what the code generates."""

from __future__ import annotations

import json
from pathlib import Path

from docgen.layout.templates import TEMPLATES as BUILDERS
from docgen.layout.templates import build
from docgen.main import schemas

from .conftest import ROOT, TEMPLATES


def test_committed_templates_match_the_builder(tmp_path: Path) -> None:
    for path in build(tmp_path):
        committed = TEMPLATES / path.name
        assert committed.read_bytes() == path.read_bytes(), (
            f"{committed} differs from the builder: run python -m docgen.layout.build"
        )
    assert set(BUILDERS) <= {p.name for p in TEMPLATES.glob("*.docx")}


def test_builder_is_deterministic(tmp_path: Path) -> None:
    first = {p.name: p.read_bytes() for p in build(tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in build(tmp_path / "b")}
    assert first == second


def test_committed_schemas_match_the_models() -> None:
    folder = ROOT / "docgen" / "schemas"
    for name, schema in schemas().items():
        committed = json.loads((folder / name).read_text(encoding="utf-8"))
        rebuild = "docgen schema --out docgen/schemas --force"
        assert committed == schema, f"{name} is stale: run {rebuild}"


def test_schema_rejects_unknown_keys_and_documents_fields() -> None:
    units = schemas()["units.schema.json"]
    unit = units["$defs"]["Unit"]
    assert unit["additionalProperties"] is False
    assert unit["required"] == ["id", "name", "kind", "symbol", "head"]
    assert unit["properties"]["kind"]["enum"] == ["office", "commune", "ward", "public_service"]
    assert "Chỉ số cải cách hành chính" in unit["properties"]["par_index"]["description"]
