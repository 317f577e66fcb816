"""Every committed template, built from code: `python -m docgen.layout.build [FOLDER]`
(default: the repository's templates/). `docgen init` writes the same files."""

from __future__ import annotations

import sys
from pathlib import Path

from docgen.layout import certificate, plan_template, templates


def build_all(target: Path) -> list[Path]:
    """Write the dossier, decision, plan and certificate templates into `target`; returns
    their paths."""
    return [*templates.build(target), plan_template.build(target), *certificate.build(target)]


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[2] / "templates"
    for written in build_all(out):
        print(written)
