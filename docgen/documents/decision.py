"""Reward decisions (Quyết định) with their attached list, and proposals to the superior.

Only nominations that pass every rule go in (docgen.rules); the money is the coefficient ×
the base salary in force on the decision date, rounded as config says, and every total is
computed from the same per-nominee amounts the list shows, so figures and words agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from docgen import vnformat as vn
from docgen.documents.dossier import (
    DocumentJob,
    award_dict,
    count_text,
    legal_bases,
    nominee_entry,
    nominee_lines,
    plan_reference,
    rule_indent,
    word_style,
)
from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.rules.money import Amount, base_salary_on
from docgen.rules.standards import Verdict, check_round
from docgen.workspace.config import Award, Config, Decisions
from docgen.workspace.model import Round, Workspace

#: Folder, inside a round's output folder, that holds the decision documents.
FOLDER = "quyet-dinh"


@dataclass(frozen=True)
class DecisionSet:
    """What a round's decision covers: eligible nominations per award, and what was left out."""

    by_award: dict[str, list[Verdict]]
    to_superior: dict[str, list[Verdict]]
    excluded: list[Verdict]


def select(ws: Workspace, rnd: Round) -> DecisionSet:
    """Split a round's verdicts: decided here, proposed to the superior, or left out."""
    by_award: dict[str, list[Verdict]] = {}
    to_superior: dict[str, list[Verdict]] = {}
    excluded = []
    for v in check_round(ws, rnd):
        if not v.eligible:
            excluded.append(v)
            continue
        target = by_award if ws.config.awards[v.award_id].by_authority else to_superior
        target.setdefault(v.award_id, []).append(v)
    return DecisionSet(by_award, to_superior, excluded)


def _decisions(config: Config) -> Decisions:
    if config.decisions is None:
        raise DocgenError(_("config.yaml chưa có mục 'decisions' (người ký, Điều 3, nơi nhận …)"))
    return config.decisions


def _in_office(config: Config, day: date, what: str) -> None:
    """Refuse a document of an authority that no longer existed on its date."""
    until = config.authority.until
    if until is not None and day > until:
        raise DocgenError(
            _(
                "{what} ngày {date}: {authority} chỉ hoạt động đến hết ngày {until} "
                "(authority.until trong config.yaml); văn bản ký sau ngày này thuộc cơ quan khác"
            ).format(
                what=what,
                date=vn.format_date_short(day),
                authority=config.authority.name,
                until=vn.format_date_short(until),
            )
        )


def _authority_header(
    config: Config, number: str | None, symbol: str, day: date | None
) -> dict[str, Any]:
    auth = config.authority
    number_text = ""
    if symbol:
        number_text = f"Số: {number}/{symbol}" if number else f"Số:{' ' * 6}/{symbol}"
    return {
        "parent": [auth.parent] if auth.parent else [],
        "lines": list(auth.header),
        "rule_indent": rule_indent(list(auth.header)),
        "number": number_text,
        "place_date": vn.place_date(auth.place, day) if day else "",
        "date": day,
    }


def _signer(decisions_signer: Any) -> dict[str, str]:
    return {
        "authority": decisions_signer.authority,
        "title": decisions_signer.title,
        "name": decisions_signer.name,
    }


def _entries(
    ws: Workspace, rnd: Round, verdicts: Sequence[Verdict], day: date
) -> list[dict[str, Any]]:
    """Collectives first, then individuals, in data order, numbered within each group."""
    members = {s.unit: len(s.meeting.members) for s in rnd.submissions}
    entries = [
        nominee_entry(ws, rnd, v.nomination, day, members[v.submission_unit])
        for v in sorted(verdicts, key=lambda v: not v.collective)
    ]
    for group in (True, False):
        for i, e in enumerate((e for e in entries if e["collective"] is group), start=1):
            e["index"] = i
    return entries


def _money_sentence(kind: str, award_word: str, amount: Amount) -> str:
    """'mỗi tập thể được tặng Giấy khen kèm theo tiền thưởng 900.000 đồng' (money, no sums)."""
    return (
        f"mỗi {kind} được tặng {award_word} kèm theo tiền thưởng {vn.format_money(amount.rounded)}"
    )


def _sentence(text: str) -> str:
    """Capitalise the first letter only and end with a full stop."""
    return text[:1].upper() + text[1:] + "."


def _grouped(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Collectives and individuals with their counts and list headings (I./II.)."""
    colls = [e for e in entries if e["collective"]]
    inds = [e for e in entries if not e["collective"]]
    return {
        "collectives": colls,
        "individuals": inds,
        "count_text": count_text(len(colls), len(inds)),
        "collectives_label": "I. TẬP THỂ" if colls else "",
        "individuals_label": f"{'II' if colls else 'I'}. CÁ NHÂN" if inds else "",
    }


def _movement_full(config: Config, rnd: Round) -> str:
    return f"phong trào thi đua {config.movement.name} {rnd.label}"


def decision_context(
    ws: Workspace, rnd: Round, award: Award, verdicts: Sequence[Verdict]
) -> dict[str, Any]:
    """Quyết định tặng <award> (Nghị định 30/2020, Mẫu 1.2) for the eligible nominees."""
    config = ws.config
    dec = _decisions(config)
    info = rnd.decision
    if info is None:
        raise DocgenError(
            _(
                "đợt {round}: chưa có khóa 'decision' (ngày quyết định, tờ trình của người đề nghị)"
            ).format(round=rnd.id)
        )
    _in_office(config, info.date, _("Quyết định"))
    style = word_style(config)
    entries = _entries(ws, rnd, verdicts, info.date)
    groups = _grouped(entries)
    colls, inds = groups["collectives"], groups["individuals"]
    total = sum(e["money"] for e in entries)
    money = []
    award_word = award.name.split(" của ")[0]
    if colls:
        money.append(_money_sentence("tập thể", award_word, colls[0]["amount"]))
    if inds:
        money.append(_money_sentence("cá nhân", award_word, inds[0]["amount"]))
    movement = _movement_full(config, rnd)
    proposal_no = info.proposal_number or " " * 6
    bases = [f"Căn cứ {t};" for t in legal_bases(config, info.date, dec.bases)]
    bases.append(f"Căn cứ {plan_reference(config)};")
    bases.append(
        f"Theo đề nghị của {dec.proposer} tại Tờ trình số {proposal_no}/{dec.proposer_symbol} "
        f"ngày {vn.format_date_short(info.proposal_date)}."
    )
    number = info.number or " " * 6
    return {
        "header": _authority_header(
            config, info.number, f"QĐ-{config.authority.symbol}", info.date
        ),
        "summary": f"Về việc tặng {award.name} cho tập thể, cá nhân có thành tích xuất sắc trong "
        f"{movement}",
        "issuer_title": dec.issuer_title,
        "bases": bases,
        "award": award_dict(award),
        "article1": f"Tặng {award.name} cho {groups['count_text']} (có danh sách "
        f"kèm theo) đã có thành tích xuất sắc trong {movement}.",
        "article2": [
            _sentence("; ".join(money)),
            f"Tổng số tiền thưởng: {vn.format_money(total)} (Bằng chữ: "
            f"{vn.money_in_words(total, style)}).",
            f"Nguồn kinh phí: {dec.fund} năm {info.date.year}.",
        ],
        "article3": f"Quyết định có hiệu lực kể từ ngày ký. {dec.executors} chịu trách nhiệm thi "
        "hành Quyết định này./.",
        "money_total": total,
        "money_total_text": vn.format_money(total),
        "money_words": vn.money_in_words(total, style),
        "recipients": list(dec.recipients),
        "signer": _signer(dec.signer),
        "reference": f"(Kèm theo Quyết định số {number}/QĐ-{config.authority.symbol} ngày "
        f"{vn.format_date_short(info.date)} của {config.authority.chair_title})",
        "list_summary": f"Tập thể, cá nhân được tặng {award.name}",
        "collectives_total_text": vn.format_number(sum(e["money"] for e in colls)),
        "individuals_total_text": vn.format_number(sum(e["money"] for e in inds)),
        "base_salary": base_salary_on(config, info.date).amount,
        **groups,
    }


def superior_context(
    ws: Workspace, rnd: Round, award: Award, verdicts: Sequence[Verdict]
) -> dict[str, Any]:
    """Tờ trình of the authority proposing the superior's award (same shape as a unit's)."""
    config = ws.config
    dec = _decisions(config)
    prop = rnd.superior_proposal
    if prop is None:
        raise DocgenError(
            _(
                "đợt {round}: có đề nghị {award} nhưng chưa có khóa 'superior_proposal' "
                "(ngày tờ trình gửi cấp trên)"
            ).format(round=rnd.id, award=award.name)
        )
    _in_office(config, prop.date, _("Tờ trình"))
    style = word_style(config)
    entries = _entries(ws, rnd, verdicts, prop.date)
    groups = _grouped(entries)
    total = sum(e["money"] for e in entries)
    movement = _movement_full(config, rnd)
    units = sorted({ws.units[v.submission_unit].name for v in verdicts})
    bases = [f"Căn cứ {t};" for t in legal_bases(config, prop.date)]
    bases.append(f"Căn cứ {plan_reference(config)};")
    bases.append(f"Xét đề nghị của {', '.join(units)}.")
    salary = base_salary_on(config, prop.date)
    auth = config.authority
    symbol = f"TTr-{auth.symbol}"
    counts = groups["count_text"]
    return {
        "header": _authority_header(config, prop.number, symbol, prop.date),
        "summary": f"Về việc đề nghị tặng {award.name} cho tập thể, cá nhân có thành tích xuất "
        f"sắc trong {movement}",
        "recipient": dec.superior_title,
        "request": "xem xét, khen thưởng",
        "closing": "xem xét, quyết định",
        "money_lines": [],
        "money_tail": ".",
        "bases": bases,
        "unit": {"name": auth.name, "short_name": auth.short_name},
        "movement": {"full": movement},
        "groups": [
            {
                "index": 1,
                "award": award_dict(award),
                "count_text": counts,
                "lines": nominee_lines(entries),
            }
        ],
        "money_total_text": vn.format_money(total),
        "money_words": vn.money_in_words(total, style),
        "base_salary_text": vn.format_money(salary.amount),
        "signer": _signer(dec.proposal_signer),
        "recipients": list(dec.superior_recipients),
        # for the attached list (danh-sach.docx)
        "attached": f"(Kèm theo Tờ trình số {prop.number or ' ' * 6}/{symbol} ngày "
        f"{vn.format_date_short(prop.date)} của {auth.name})",
        "total_text": f"Tổng số: {counts}.",
        **groups,
    }


def decision_jobs(ws: Workspace, rnd: Round) -> tuple[list[DocumentJob], list[Verdict]]:
    """All decision documents of a round, and the nominations left out (with reasons)."""
    chosen = select(ws, rnd)
    jobs = []
    for award_id, verdicts in chosen.by_award.items():
        slug = award_id.replace("_", "-")
        ctx = decision_context(ws, rnd, ws.config.awards[award_id], verdicts)
        jobs.append(DocumentJob("quyet-dinh.docx", f"01-quyet-dinh-{slug}.docx", ctx))
        jobs.append(
            DocumentJob(
                "danh-sach-quyet-dinh.docx", f"02-danh-sach-kem-quyet-dinh-{slug}.docx", ctx
            )
        )
    for award_id, verdicts in chosen.to_superior.items():
        slug = award_id.replace("_", "-")
        award = ws.config.awards[award_id]
        ctx = superior_context(ws, rnd, award, verdicts)
        listing = dict(ctx, summary=f"Tập thể, cá nhân đề nghị tặng {award.name}")
        jobs.append(DocumentJob("to-trinh.docx", f"03-to-trinh-de-nghi-{slug}.docx", ctx))
        jobs.append(
            DocumentJob("danh-sach.docx", f"04-danh-sach-kem-to-trinh-{slug}.docx", listing)
        )
    if not jobs:
        raise DocgenError(
            _("đợt {round}: không có đề nghị nào đạt tiêu chuẩn để ra quyết định").format(
                round=rnd.id
            )
        )
    return jobs, chosen.excluded
