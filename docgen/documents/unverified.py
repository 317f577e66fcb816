"""Which config values marked `unverified: true` reach the documents of a run.

The law notes mark some coefficients, base salaries and legal bases as not checked against the
signed text. An office must know when such a value is printed in a document it signs, so the
commands print one warning per value (not per document) naming it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from docgen import vnformat as vn
from docgen.documents.dossier import report_form
from docgen.i18n import _
from docgen.rules.money import base_salary_on, coefficients_on
from docgen.workspace.config import Award, Config, LegalBasis, in_force
from docgen.workspace.model import Round, Submission, Workspace


def _for_date(
    config: Config, day: date, awards: Iterable[Award], extra: Sequence[LegalBasis] = ()
) -> list[str]:
    """Warnings for one document date: its base salary, its awards' coefficients, its bases."""
    out = []
    salary = base_salary_on(config, day)
    if salary.unverified:
        out.append(
            _("mức lương cơ sở {amount} từ ngày {since} ({decree})").format(
                amount=vn.format_money(salary.amount),
                since=vn.format_date_short(salary.since),
                decree=salary.decree,
            )
        )
    for award in awards:
        step = coefficients_on(award, day)
        if step.unverified:
            out.append(
                _(
                    "hệ số {award} {individual} (cá nhân) / {collective} (tập thể) "
                    "từ ngày {since} ({decree})"
                ).format(
                    award=award.name,
                    individual=vn.format_number(step.individual.normalize()),
                    collective=vn.format_number(step.collective.normalize()),
                    since=vn.format_date_short(step.since),
                    decree=step.decree,
                )
            )
    for basis in [*extra, *config.legal_bases]:
        if basis.unverified and in_force(basis, day):
            out.append(_("căn cứ \u201c{text}\u201d").format(text=basis.text))
    return out


def in_dossiers(ws: Workspace, submissions: Iterable[Submission]) -> list[str]:
    """Unverified values the dossiers use (each Tờ trình's date), once, in first-use order."""
    config = ws.config
    seen: dict[str, None] = {}
    for sub in submissions:
        awards = {n.award: config.awards[n.award] for n in sub.nominations}
        for text in _for_date(config, sub.proposal.date, awards.values()):
            seen.setdefault(text, None)
        form = report_form(config, sub.meeting.date)  # the reports carry the meeting's date
        if form is not None and form.unverified:
            seen.setdefault(_("mẫu Báo cáo thành tích \u201c{form}\u201d").format(form=form.form))
    return list(seen)


def in_decisions(ws: Workspace, rounds: Iterable[Round]) -> list[str]:
    """Unverified values the decisions use: the decision date with the authority's own bases,
    and the date of the proposal to the superior; once each, in first-use order."""
    config = ws.config
    seen: dict[str, None] = {}
    for rnd in rounds:
        used = {n.award for s in rnd.submissions for n in s.nominations}
        own = [config.awards[a] for a in sorted(used) if config.awards[a].by_authority]
        up = [config.awards[a] for a in sorted(used) if not config.awards[a].by_authority]
        extra = config.decisions.bases if config.decisions else []
        if rnd.decision is not None and own:
            for text in _for_date(config, rnd.decision.date, own, extra):
                seen.setdefault(text, None)
        if rnd.superior_proposal is not None and up:
            for text in _for_date(config, rnd.superior_proposal.date, up):
                seen.setdefault(text, None)
    return list(seen)


def warning_lines(values: Sequence[str]) -> list[str]:
    """'Cảnh báo: giá trị chưa kiểm chứng với văn bản gốc được dùng trong văn bản: …' lines."""
    return [
        _("Cảnh báo: giá trị chưa đối chiếu văn bản gốc được dùng trong văn bản: {value}").format(
            value=v
        )
        for v in values
    ]
