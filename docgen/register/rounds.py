"""A round's signed decision as register records: the awardees `docgen decision` lists."""

from __future__ import annotations

from datetime import date

from docgen.documents.decision import select
from docgen.documents.dossier import nominee_entry
from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.rules.money import coefficients_on
from docgen.workspace.model import Round, Workspace

from .records import AwardRecord, DecisionRecord, period_of


def citation(number: str, symbol: str) -> str:
    """'1205' → '1205/QĐ-UBND'; a number typed whole ('1205/QĐ-UBND') stays as it is."""
    number = number.strip()
    return number if "/" in number else f"{number}/{symbol}"


def round_decision(
    ws: Workspace, rnd: Round, number: str, day: date
) -> tuple[DecisionRecord, list[AwardRecord]]:
    """The decision of `rnd` signed on `day` with `number`: the authority's own awards only
    (those proposed to the superior are the superior's decisions), collectives first, in the
    order of the decision's list; money as of `day`."""
    config = ws.config
    if not number.strip():
        raise DocgenError(_("cần số quyết định (--number)"))
    if config.decisions is None:
        raise DocgenError(_("config.yaml chưa có mục 'decisions' (người ký, Điều 3, nơi nhận …)"))
    chosen = select(ws, rnd)
    if not chosen.by_award:
        raise DocgenError(
            _("đợt {round}: không có đề nghị nào đạt tiêu chuẩn để ra quyết định").format(
                round=rnd.id
            )
        )
    auth = config.authority
    signer = config.decisions.signer
    regimes = sorted(
        {coefficients_on(config.awards[a], day).decree for a in chosen.by_award} - {""}
    )
    decision = DecisionRecord(
        number=citation(number, f"QĐ-{auth.symbol}"),
        date=day,
        authority=auth.name,
        authority_symbol=auth.symbol,
        issuer_title=config.decisions.issuer_title,
        place=auth.place,
        signer_authority=signer.authority,
        signer_title=signer.title,
        signer_name=signer.name,
        round_id=rnd.id,
        round_label=rnd.label,
        regime="; ".join(regimes),
        source="record",
    )
    members = {s.unit: len(s.meeting.members) for s in rnd.submissions}
    achievement = (
        f"Đã có thành tích xuất sắc trong phong trào thi đua {config.movement.name} {rnd.label}"
    )
    years = rnd.years
    awards = []
    for award_id, verdicts in chosen.by_award.items():
        award = config.awards[award_id]
        for v in sorted(verdicts, key=lambda v: not v.collective):
            entry = nominee_entry(ws, rnd, v.nomination, day, members[v.submission_unit])
            unit = entry["unit"]
            common = {
                "decision": decision,
                "name": entry["name"],
                "awardee_key": entry["id"],
                "awardee_id": entry["id"],
                "award_id": award_id,
                "award_name": award.name,
                "award_kind": award.kind,
                "period": period_of(years),
                "first_year": years[0],
                "last_year": years[-1],
                "achievement": achievement,
                "money": entry["money"],
                "source": f"record: {rnd.id}",
            }
            if v.collective:
                awards.append(
                    AwardRecord(
                        kind="collective",
                        unit_id=unit.id,
                        unit_name=unit.name,
                        parent_body=auth.name,
                        **common,
                    )
                )
            else:
                awards.append(
                    AwardRecord(
                        kind="person",
                        gender=entry["person"].gender,
                        position=entry["position"],
                        unit_id=unit.id,
                        unit_name=unit.name,
                        **common,
                    )
                )
    return decision, awards
