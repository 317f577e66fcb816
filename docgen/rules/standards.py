"""The plan's standards (Kế hoạch 145/KH-UBND, section IV) applied to every nomination.

Each verdict carries its reasons as plain sentences with the figures compared
("Chỉ số CCHC năm 2022: 91,25% ≥ 90%"), so a reviewer can trust it without opening the data;
they are messages, in the language in use (docgen.i18n), numbers always in Vietnamese style.
All thresholds come from config.yaml (`standards`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from docgen import vnformat as vn
from docgen.i18n import N_, _, ngettext
from docgen.rules.history import History, history_reasons
from docgen.workspace.config import RATING_NAMES, RATING_ORDER, Config, Voting
from docgen.workspace.model import Nomination, Person, Round, Submission, Unit, Workspace


@dataclass(frozen=True)
class Reason:
    """One check: what was compared and whether it passed."""

    ok: bool
    text: str
    #: passes, but the reviewer should read it (NĐ 152/2025 Điều 4 k3)
    warning: bool = False


@dataclass
class Verdict:
    """Whether one nomination meets the standards, and why."""

    round_id: str
    submission_unit: str
    nomination: Nomination
    nominee_id: str
    nominee: str
    collective: bool
    award_id: str
    award: str
    reasons: list[Reason] = field(default_factory=list)
    average: Decimal | None = None
    #: the council voted it down: the Biên bản records it, no other document carries it,
    #: and it does not stop the unit's dossier (its standards may still be met)
    voted_down: bool = False

    @property
    def eligible(self) -> bool:
        return all(r.ok for r in self.reasons)

    def as_dict(self) -> dict[str, object]:
        """Machine-readable form for `docgen check --format json`."""
        return {
            "round": self.round_id,
            "unit": self.submission_unit,
            "nominee_id": self.nominee_id,
            "nominee": self.nominee,
            "kind": "collective" if self.collective else "individual",
            "award": self.award,
            "award_id": self.award_id,
            "eligible": self.eligible,
            "reasons": [
                {"ok": r.ok, "text": r.text, **({"warning": True} if r.warning else {})}
                for r in self.reasons
            ],
        }


def _pct(value: Decimal) -> str:
    return vn.format_number(value, 2) + "%"


def _limit(value: Decimal) -> str:
    return vn.format_number(value) + "%"


def counted_years(config: Config, rnd: Round, day: date) -> list[int]:
    """The years whose results count for a dossier made on `day`.

    A period dossier is made in the period's last year (Quý II of 2025 for 2021-2025), when
    that year's index and ratings cannot exist yet: by default only the years before the
    dossier's year count, unless config says the whole period does.
    """
    if rnd.kind == "annual" or config.standards.period_years == "whole_period":
        return rnd.years
    counted = [y for y in rnd.years if y < day.year]
    return counted or rnd.years[:1]


def collective_reasons(
    config: Config, rnd: Round, unit: Unit, years: Sequence[int] | None = None
) -> tuple[list[Reason], Decimal | None]:
    """Chỉ số CCHC ≥ threshold in the year, or the period average ≥ threshold (IV.2.a)."""
    std = config.standards
    if rnd.kind == "annual":
        year = rnd.year or 0
        score = unit.par_index.get(year)
        if score is None:
            return [
                Reason(False, _("Chỉ số CCHC năm {year}: chưa có số liệu").format(year=year))
            ], None
        ok = score >= std.collective_par_min
        sign = "≥" if ok else "<"
        return [
            Reason(
                ok,
                _("Chỉ số CCHC năm {year}: {score} {sign} {minimum}").format(
                    year=year,
                    score=_pct(score),
                    sign=sign,
                    minimum=_limit(std.collective_par_min),
                ),
            )
        ], score
    years = list(years if years is not None else rnd.years)
    missing = [y for y in years if y not in unit.par_index]
    label = f"{years[0]}-{years[-1]}"
    if missing:
        text = ", ".join(str(y) for y in missing)
        return [
            Reason(
                False,
                _(
                    "Chỉ số CCHC giai đoạn {period}: thiếu số liệu năm {years}, "
                    "không tính được trung bình"
                ).format(period=label, years=text),
            )
        ], None
    scores = [unit.par_index[y] for y in years]
    # Compare the exact mean; show it to 0,001 so a mean of 89,998 never reads as "90,00".
    average = sum(scores, Decimal(0)) / len(scores)
    shown = vn.format_number(average.quantize(Decimal("0.001"), ROUND_HALF_UP)) + "%"
    ok = average >= std.period_average_min
    sign = "≥" if ok else "<"
    detail = "; ".join(vn.format_number(s, 2) for s in scores)
    return [
        Reason(
            ok,
            _("Trung bình Chỉ số CCHC {period}: {average} {sign} {minimum} ({scores})").format(
                period=label,
                average=shown,
                sign=sign,
                minimum=_limit(std.period_average_min),
                scores=detail,
            ),
        )
    ], average


def individual_reasons(
    config: Config, rnd: Round, person: Person, counted: Sequence[int] | None = None
) -> list[Reason]:
    """Rated at least the configured level in the year, or every year of the period (IV.2.b)."""
    std = config.standards
    minimum = RATING_ORDER.index(std.individual_min_rating)
    counted = list(counted if counted is not None else rnd.years)
    years = counted if (rnd.kind == "annual" or std.period_every_year) else counted[-1:]
    reasons = []
    for year in years:
        rating = person.ratings.get(year)
        if rating is None:
            reasons.append(Reason(False, _("Xếp loại năm {year}: chưa có").format(year=year)))
            continue
        ok = RATING_ORDER.index(rating) <= minimum
        reasons.append(
            Reason(
                ok,
                _("Xếp loại năm {year}: {rating} (yêu cầu: {required} trở lên)").format(
                    year=year,
                    rating=RATING_NAMES[rating],
                    required=RATING_NAMES[std.individual_min_rating],
                ),
            )
        )
    return reasons


def round_deadline(config: Config, rnd: Round) -> date:
    """The first day too late for a round's proposals: the annual deadline of the next year
    ("trước ngày 15/3": the 15th itself is late), or the day after the period's quarter."""
    std = config.standards
    if rnd.kind == "annual":
        return date((rnd.year or 0) + 1, std.annual_deadline_month, std.annual_deadline_day)
    assert rnd.period is not None
    quarter = std.period_quarter
    return date(rnd.period.end + (quarter == 4), (3 * quarter) % 12 + 1, 1)


def deadline_reason(config: Config, rnd: Round, sub: Submission) -> Reason:
    """Annual dossiers before the deadline of the next year; period ones in the set quarter."""
    std = config.standards
    day = sub.proposal.date
    shown = vn.format_date_short(day)
    if rnd.kind == "annual":
        deadline = round_deadline(config, rnd)
        ok = day < deadline  # "trước ngày 15/3": the 15th itself is late
        text = (
            _("Tờ trình ngày {date} trong hạn (phải trước ngày {deadline})")
            if ok
            else _("Tờ trình ngày {date} quá hạn (phải trước ngày {deadline})")
        )
        return Reason(ok, text.format(date=shown, deadline=vn.format_date_short(deadline)))
    assert rnd.period is not None
    quarter = std.period_quarter
    start = date(rnd.period.end, 3 * quarter - 2, 1)
    ok = start <= day < round_deadline(config, rnd)
    text = (
        _("Tờ trình ngày {date} trong Quý {quarter} năm {year}")
        if ok
        else _("Tờ trình ngày {date} ngoài Quý {quarter} năm {year}")
    )
    return Reason(ok, text.format(date=shown, quarter=vn.roman(quarter), year=rnd.period.end))


def _share(value: Decimal) -> str:
    """'1/2', '2/3' for the usual fractions, else a percentage ('80%')."""
    for text, exact in (("1/2", Decimal(1) / 2), ("2/3", Decimal(2) / 3), ("3/4", Decimal(3) / 4)):
        if abs(value - exact) < Decimal("0.0001"):
            return text
    return vn.format_percent(value * 100)


def vote_reason(voting: Voting, votes: int, present: int, members: int) -> Reason:
    """Whether the council's vote carries the nomination (default: more than half present)."""
    base = present if voting.of == "present" else members
    need = voting.approval * base
    ok = Decimal(votes) >= need if voting.at_least else Decimal(votes) > need
    percent = Decimal(votes * 100) / base if base else Decimal(0)
    whom = _("số thành viên có mặt") if voting.of == "present" else _("tổng số thành viên")
    if voting.at_least:
        text = (
            _("Số phiếu đồng ý {votes}/{base} ({percent}) đạt từ {share} {whom} trở lên")
            if ok
            else _("Số phiếu đồng ý {votes}/{base} ({percent}) chưa đạt {share} {whom}")
        )
    else:
        text = (
            _("Số phiếu đồng ý {votes}/{base} ({percent}) quá {share} {whom}")
            if ok
            else _("Số phiếu đồng ý {votes}/{base} ({percent}) không quá {share} {whom}")
        )
    return Reason(
        ok,
        text.format(
            votes=votes,
            base=base,
            percent=vn.format_percent(percent),
            share=_share(voting.approval),
            whom=whom,
        ),
    )


def _vote(config: Config, sub: Submission, nom: Nomination) -> tuple[Reason | None, Reason]:
    """The meeting's quorum reason (None: it had one) and the nomination's vote reason, by
    the award's own voting rule or the general one."""
    award = config.awards.get(nom.award)
    voting = (award.voting if award else None) or config.voting
    members = len(sub.meeting.members)
    present = sum(1 for m in sub.meeting.members if m.present)
    return quorum_reason(voting, present, members), vote_reason(voting, nom.votes, present, members)


def carried(config: Config, sub: Submission, nom: Nomination) -> bool:
    """Whether the council's vote carries a nomination, so that the dossier proposes it."""
    return _vote(config, sub, nom)[1].ok


def quorum_reason(voting: Voting, present: int, members: int) -> Reason | None:
    """A failing reason when too few members attended for the meeting to decide; else None."""
    if Decimal(present) >= voting.quorum * members:
        return None
    return Reason(
        False,
        _(
            "Cuộc họp có mặt {present}/{members} thành viên, chưa đủ số lượng tối thiểu "
            "{share} tổng số thành viên để biểu quyết"
        ).format(present=present, members=members, share=_share(voting.quorum)),
    )


def check_round(ws: Workspace, rnd: Round, history: History | None = None) -> list[Verdict]:
    """Verdicts for every nomination of a round, quota included; with the register's
    `history`, earlier awards are shown and a repeated or unqualified one fails."""
    config = ws.config
    verdicts: list[Verdict] = []
    for sub in rnd.submissions:
        deadline = deadline_reason(config, rnd, sub)
        years = counted_years(config, rnd, sub.proposal.date)
        for nom in sub.nominations:
            award = config.awards[nom.award]
            if nom.collective:
                unit = ws.units[nom.collective]
                reasons, average = collective_reasons(config, rnd, unit, years)
                verdict = Verdict(
                    rnd.id,
                    sub.unit,
                    nom,
                    unit.id,
                    unit.name,
                    True,
                    nom.award,
                    award.name,
                    reasons,
                    average,
                )
            else:
                person = ws.people[nom.person or ""]
                verdict = Verdict(
                    rnd.id,
                    sub.unit,
                    nom,
                    person.id,
                    person.name,
                    False,
                    nom.award,
                    award.name,
                    individual_reasons(config, rnd, person, years),
                )
            quorum, vote = _vote(config, sub, nom)
            if quorum is not None:
                verdict.reasons.append(quorum)
            verdict.reasons.append(vote)
            verdict.voted_down = quorum is None and not vote.ok
            verdict.reasons.append(deadline)
            if history is not None:
                kind = "collective" if verdict.collective else "person"
                earlier = history.get((kind, verdict.nominee_id), ())
                verdict.reasons += [
                    Reason(r.ok, r.text, r.warning)
                    for r in history_reasons(config, rnd, nom.award, earlier)
                ]
            verdicts.append(verdict)
    if rnd.kind == "period":
        apply_quota(ws, verdicts)
    return verdicts


def apply_quota(ws: Workspace, verdicts: Sequence[Verdict]) -> None:
    """At most N offices and N communes/wards for the period award (IV.3.2), best first.

    Ranked by the five-year average; a tie is broken by the latest year's score, then the
    one before; a tie that still straddles the limit is left to the council and flagged.
    """
    std = ws.config.standards
    quotas = {"office": std.period_quota_offices, "commune": std.period_quota_communes}
    labels = {"office": N_("phòng, đơn vị"), "commune": N_("xã, phường")}
    for group, limit in quotas.items():
        pool = [
            v
            for v in verdicts
            if v.collective
            and v.award_id == std.period_quota_award
            and v.eligible
            and ws.config.unit_kinds[ws.units[v.nominee_id].kind].group == group
        ]

        def key(v: Verdict) -> tuple[Decimal, ...]:
            unit = ws.units[v.nominee_id]
            latest = [unit.par_index[y] for y in sorted(unit.par_index, reverse=True)]
            return (v.average or Decimal(0), *latest)

        pool.sort(key=key, reverse=True)
        for rank, v in enumerate(pool, start=1):
            tied = [o for o in pool if o is not v and key(o) == key(v)]
            values = {
                "rank": rank,
                "total": len(pool),
                "group": _(labels[group]),
                "quota": vn.pad2(limit),
            }
            same_avg = [o for o in pool if o is not v and o.average == v.average]
            if tied and any((pool.index(o) < limit) != (rank <= limit) for o in tied):
                names = ", ".join(o.nominee for o in tied)
                v.reasons.append(Reason(False, _quota_tied(limit).format(names=names, **values)))
            elif same_avg and not tied:
                names = ", ".join(o.nominee for o in same_avg)
                text = _quota_same_average(limit, rank <= limit)
                v.reasons.append(Reason(rank <= limit, text.format(names=names, **values)))
            else:
                text = _quota_plain(limit, rank <= limit)
                v.reasons.append(Reason(rank <= limit, text.format(**values)))


def _quota_plain(limit: int, within: bool) -> str:
    """The ranking sentence and whether the nominee is within the quota."""
    if within:
        return ngettext(
            "Xếp thứ {rank}/{total} trong nhóm {group} theo trung bình Chỉ số CCHC; "
            "chỉ tiêu tối đa {quota} tập thể: trong chỉ tiêu",
            "Xếp thứ {rank}/{total} trong nhóm {group} theo trung bình Chỉ số CCHC; "
            "chỉ tiêu tối đa {quota} tập thể: trong chỉ tiêu",
            limit,
        )
    return ngettext(
        "Xếp thứ {rank}/{total} trong nhóm {group} theo trung bình Chỉ số CCHC; "
        "chỉ tiêu tối đa {quota} tập thể: ngoài chỉ tiêu",
        "Xếp thứ {rank}/{total} trong nhóm {group} theo trung bình Chỉ số CCHC; "
        "chỉ tiêu tối đa {quota} tập thể: ngoài chỉ tiêu",
        limit,
    )


def _quota_same_average(limit: int, within: bool) -> str:
    """As _quota_plain, for a nominee whose average equals others' (latest year decided)."""
    if within:
        return ngettext(
            "Xếp thứ {rank}/{total} trong nhóm {group} theo trung bình Chỉ số CCHC; "
            "chỉ tiêu tối đa {quota} tập thể (bằng điểm trung bình với {names}; "
            "xếp theo Chỉ số CCHC năm gần nhất): trong chỉ tiêu",
            "Xếp thứ {rank}/{total} trong nhóm {group} theo trung bình Chỉ số CCHC; "
            "chỉ tiêu tối đa {quota} tập thể (bằng điểm trung bình với {names}; "
            "xếp theo Chỉ số CCHC năm gần nhất): trong chỉ tiêu",
            limit,
        )
    return ngettext(
        "Xếp thứ {rank}/{total} trong nhóm {group} theo trung bình Chỉ số CCHC; "
        "chỉ tiêu tối đa {quota} tập thể (bằng điểm trung bình với {names}; "
        "xếp theo Chỉ số CCHC năm gần nhất): ngoài chỉ tiêu",
        "Xếp thứ {rank}/{total} trong nhóm {group} theo trung bình Chỉ số CCHC; "
        "chỉ tiêu tối đa {quota} tập thể (bằng điểm trung bình với {names}; "
        "xếp theo Chỉ số CCHC năm gần nhất): ngoài chỉ tiêu",
        limit,
    )


def _quota_tied(limit: int) -> str:
    """A full tie that straddles the quota: the council chooses."""
    return ngettext(
        "Xếp thứ {rank}/{total} trong nhóm {group} theo trung bình Chỉ số CCHC; "
        "chỉ tiêu tối đa {quota} tập thể: đồng hạng với {names} ở ngưỡng chỉ tiêu, "
        "Hội đồng cần chọn",
        "Xếp thứ {rank}/{total} trong nhóm {group} theo trung bình Chỉ số CCHC; "
        "chỉ tiêu tối đa {quota} tập thể: đồng hạng với {names} ở ngưỡng chỉ tiêu, "
        "Hội đồng cần chọn",
        limit,
    )


def check(ws: Workspace, rounds: Sequence[Round], history: History | None = None) -> list[Verdict]:
    """Verdicts for every nomination of the given rounds (see check_round for `history`)."""
    return [v for rnd in rounds for v in check_round(ws, rnd, history)]
