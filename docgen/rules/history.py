"""Earlier awards in the rules: a repeated award fails, earlier ones are shown, awards whose
criteria need earlier ones are checked, and NĐ 152/2025 Điều 4 k3 is recalled.

The history is plain data handed in by docgen.main (which reads the register); the rules
never open the register themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from docgen.i18n import _
from docgen.workspace.config import Award, Config
from docgen.workspace.model import Round


@dataclass(frozen=True)
class Earlier:
    """One award a collective or person received before, as the register holds it."""

    award_id: str
    award_name: str
    award_kind: str  # "campaign" or "merit"
    period: str  # "2022", "2021-2025"
    first_year: int
    last_year: int
    decision: str  # "Quyết định số 1205/QĐ-UBND ngày 12/4/2023"
    authority: str
    round_id: str | None = None
    number: str = ""  # the decision's number as cited: "1205/QĐ-UBND"

    @property
    def label(self) -> str:
        """'năm 2022', 'giai đoạn 2021-2025'."""
        if self.first_year == self.last_year:
            return f"năm {self.first_year}"
        return f"giai đoạn {self.first_year}-{self.last_year}"

    @property
    def line(self) -> str:
        """How the Báo cáo thành tích lists it (always Vietnamese: a document's text)."""
        return f"{self.award_name} {self.label} ({self.decision} của {self.authority})"


#: (kind: "collective" | "person", the unit's or person's id) → earlier awards, newest first
History = Mapping[tuple[str, str], Sequence[Earlier]]


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def earlier_lines(given: Sequence[str], rnd: Round, earlier: Sequence[Earlier]) -> list[str]:
    """What a Báo cáo thành tích lists as "các hình thức khen thưởng đã được tặng": the lines
    the data gives, then the register's awards of other rounds that no given line already
    names (the same text, or a line citing the same decision number)."""
    out = list(given)
    seen = [_folded(line) for line in given]
    for e in earlier:
        if e.round_id == rnd.id:
            continue
        line = e.line
        if _folded(line) in seen or (e.number and any(_folded(e.number) in s for s in seen)):
            continue
        out.append(line)
        seen.append(_folded(line))
    return out


@dataclass(frozen=True)
class HistoryReason:
    """A reason about earlier awards (the same shape as standards.Reason)."""

    ok: bool
    text: str
    warning: bool = False


def _period(rnd: Round) -> str:
    years = rnd.years
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def history_reasons(
    config: Config, rnd: Round, award_id: str, earlier: Sequence[Earlier]
) -> list[HistoryReason]:
    """Each earlier award shown; the same award for the same round or year fails; each
    requirement of the award (config `awards.*.requires`) checked year by year."""
    award = config.awards[award_id]
    out: list[HistoryReason] = []
    period = _period(rnd)
    for e in earlier:
        same = e.award_id == award_id and (e.period == period or e.round_id == rnd.id)
        if same:
            out.append(
                HistoryReason(
                    False,
                    _(
                        "Đã được tặng {award} {label} ({decision}); không đề nghị lại cùng "
                        "hình thức cho cùng đợt, cùng năm"
                    ).format(award=e.award_name, label=e.label, decision=e.decision),
                )
            )
        else:
            out.append(
                HistoryReason(
                    True,
                    _("Đã được tặng {award} {label} ({decision})").format(
                        award=e.award_name, label=e.label, decision=e.decision
                    ),
                )
            )
    out += requirement_reasons(config, rnd, award, earlier)
    return out


def requirement_reasons(
    config: Config, rnd: Round, award: Award, earlier: Sequence[Earlier]
) -> list[HistoryReason]:
    """A required earlier award in each of the N years before the round's (last) year."""
    out: list[HistoryReason] = []
    if not rnd.years:
        return out
    last = rnd.years[0] if rnd.kind == "annual" else rnd.years[-1]
    for req in award.requires:
        needed = config.awards[req.award]
        years = list(range(last - req.years, last))
        found = {
            y: next(
                (
                    e
                    for e in earlier
                    if e.award_id == req.award and e.first_year <= y <= e.last_year
                ),
                None,
            )
            for y in years
        }
        missing = [y for y, e in found.items() if e is None]
        shown = ", ".join(str(y) for y in years)
        if missing:
            out.append(
                HistoryReason(
                    False,
                    _(
                        "{award} cần {needed} trong mỗi năm {years}; sổ khen thưởng không có "
                        "năm {missing}"
                    ).format(
                        award=award.name,
                        needed=needed.name,
                        years=shown,
                        missing=", ".join(str(y) for y in missing),
                    ),
                )
            )
        else:
            cited = ", ".join(f"{y}: {e.decision}" for y, e in found.items() if e is not None)
            out.append(
                HistoryReason(
                    True,
                    _("{award} cần {needed} trong mỗi năm {years}: có ({cited})").format(
                        award=award.name, needed=needed.name, years=shown, cited=cited
                    ),
                )
            )
        if award.kind == "merit":
            for e in dict.fromkeys(e for e in found.values() if e is not None):
                if e.award_kind == "campaign":
                    out.append(
                        HistoryReason(
                            True,
                            _(
                                "Lưu ý: {earlier} {label} là khen thưởng theo đợt, chuyên đề "
                                "thi đua; theo Nghị định 152/2025/NĐ-CP Điều 4 khoản 3, kết "
                                "quả này không dùng làm căn cứ đề nghị khen thưởng công trạng "
                                "({award})"
                            ).format(earlier=e.award_name, label=e.label, award=award.name),
                            warning=True,
                        )
                    )
    return out
