"""One exception hierarchy for every user-facing failure.

The CLI catches :class:`DocgenError` in one place and prints its message plainly; anything
else is a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docgen.i18n import ngettext


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one input file, located precisely enough to fix it in an editor."""

    file: str
    line: int | None
    path: str
    message: str
    hint: str = ""
    #: for a workbook: the cell ("Đơn vị!C5") or header row; files have lines instead
    cell: str = ""

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.cell:
            where += f" [{self.cell}]"
        key = f" [{self.path}]" if self.path else ""
        text = f"{where}{key}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class DocgenError(Exception):
    """Base of every error that is the user's to fix (bad input, existing output, …)."""


class ValidationError(DocgenError):
    """Carries every problem found in a run, not only the first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        header = ngettext("Dữ liệu có {n} lỗi:", "Dữ liệu có {n} lỗi:", count).format(n=count)
        lines = [header] + [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class TemplateError(DocgenError):
    """A template cannot be rendered: syntax error, unknown variable, unsafe access."""


class OutputError(DocgenError):
    """The output cannot be written where asked (exists without --force, not writable)."""
