"""Build the template context of every document from the validated workspace.

Templates stay simple and editable by users: wording lives in the .docx, and this module
hands them ready values (names, counts, dates, money, both as raw values and in Vietnamese
form). Every number in a document is computed here, once, from the data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from docgen import vnformat as vn
from docgen.layout.measure import header_context, keep_phrases, text_cm
from docgen.rules.history import History, earlier_lines
from docgen.rules.money import base_salary_on, reward
from docgen.rules.standards import carried, counted_years
from docgen.workspace.config import (
    RATING_NAMES,
    Award,
    Config,
    LegalBasis,
    ReportForm,
    fill_council,
    in_force,
)
from docgen.workspace.model import Nomination, Person, Round, Submission, Unit, Workspace


@dataclass(frozen=True)
class DocumentJob:
    """One document to produce: which template, which output name, which context."""

    template: str
    filename: str
    context: dict[str, Any]


@dataclass(frozen=True)
class DocumentSet:
    """The documents of one output folder, named up front; their contexts are made only when
    `jobs()` is called, where and when they are rendered (thousands of them add up)."""

    folder: Path
    #: (template, file name) of each document, in the order `jobs()` yields them
    documents: tuple[tuple[str, str], ...]
    make: Callable[[], list[DocumentJob]]

    def __len__(self) -> int:
        return len(self.documents)

    @property
    def files(self) -> list[str]:
        return [name for _template, name in self.documents]

    @property
    def templates(self) -> set[str]:
        return {template for template, _name in self.documents}

    def jobs(self) -> list[DocumentJob]:
        return self.make()

    @classmethod
    def ready(cls, folder: Path, jobs: Sequence[DocumentJob]) -> DocumentSet:
        """A set whose contexts are already made (a round's few decision documents)."""
        done = list(jobs)
        return cls(folder, tuple((j.template, j.filename) for j in done), lambda: done)


def word_style(config: Config) -> vn.WordStyle:
    """The number-to-words style the config asks for."""
    s = config.style
    return vn.WordStyle(s.zero_tens, s.thousand, s.four, s.money_even_suffix)


#: Phrases no title or trích yếu line may split (issue 13.3), with the place's and units'
#: names (see title_text).
TITLE_PHRASES = (
    "chuyển đổi số",
    "cải cách hành chính",
    "Ủy ban nhân dân",
    "Ủy ban nhân dân thành phố",
    "Hội đồng Thi đua - Khen thưởng",
    "Giấy khen",
    "Bằng khen",
    "Tờ trình",
    "Quyết định",
    "thi đua",
    "khen thưởng",
)


def title_text(config: Config, text: str, *names: str) -> str:
    """A centred title line's text with non-breaking spaces inside its fixed phrases: the
    place ("thành phố Cao Bằng"), `names` (units), TITLE_PHRASES; so LibreOffice and Word
    break it by meaning and its last line is never a lone word."""
    return keep_phrases(text, [*TITLE_PHRASES, *names, *place_phrases(config.authority.place)])


def place_phrases(place: str) -> list[str]:
    """'Thành phố Cao Bằng' → itself, 'thành phố Cao Bằng', 'tỉnh Cao Bằng', 'Cao Bằng'."""
    bare = place
    for prefix in ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Thị xã ", "Huyện "):
        if place.startswith(prefix):
            bare = place[len(prefix) :]
    kinds = ("thành phố", "tỉnh", "phường", "xã", "thị xã", "huyện")
    return [place, bare, *(f"{kind} {bare}" for kind in kinds)]


def header_block(
    parent: list[str],
    lines: list[str],
    *,
    number: str = "",
    place_date: str = "",
    split: tuple[bool, bool] = (True, True),
    day: date | None = None,
) -> dict[str, Any]:
    """The header's context: bodies, Số and date, and the sizes that keep each name line on
    one line (layout.measure). `split` (parent, body): a name too long for the left column
    may be broken where its parts meet; False where the data gives the lines (they decide)."""
    sizes = header_context(parent, lines, number=number, place_date=place_date, split=split)
    return {**sizes, "number": number, "place_date": place_date, "date": day}


def unit_lines(unit: Unit) -> list[str]:
    """The unit's name lines for the header: given in data, or its name in capitals."""
    if unit.header:
        return list(unit.header)
    prefix = "Ủy ban nhân dân "
    if unit.name.startswith(prefix):
        return ["ỦY BAN NHÂN DÂN", unit.name[len(prefix) :].upper()]
    return [unit.name.upper()]


def unit_short(unit: Unit) -> str:
    """Name for table cells: 'UBND phường Sông Hiến' instead of the full 'Ủy ban nhân dân …'."""
    return unit.short_name


def header(
    config: Config,
    unit: Unit,
    *,
    number: str | None = None,
    symbol: str | None = None,
    day: date | None = None,
    lines: list[str] | None = None,
    parent: list[str] | None = None,
) -> dict[str, Any]:
    """The two-column header: issuing body (left), Quốc hiệu and date line (right)."""
    kind = config.unit_kinds[unit.kind]
    bold = lines if lines is not None else unit_lines(unit)
    config_parent = parent is None  # the config's parent body, not the unit's own lines
    if parent is None:
        parent = [config.authority.unit_parent] if kind.has_parent else []
    number_text = ""
    if symbol is not None:
        number_text = f"Số: {number}/{symbol}" if number else f"Số:{' ' * 6}/{symbol}"
    place = unit.place or config.authority.place
    return header_block(
        parent,
        bold,
        number=number_text,
        place_date=vn.place_date(place, day) if day else "",
        split=(
            config_parent or not unit.header,
            lines is not None or not unit.header,
        ),
        day=day,
    )


def signer(config: Config, unit: Unit) -> dict[str, str]:
    """Who signs for the unit: the data's override, else the unit head with the kind's title."""
    if unit.signer:
        return {
            "authority": unit.signer.authority,
            "title": unit.signer.title,
            "name": unit.signer.name,
        }
    kind = config.unit_kinds[unit.kind]
    return {
        "authority": kind.signer_authority,
        "title": kind.signer_title or unit.head.title.upper(),
        "name": unit.head.name,
    }


def council_name(config: Config, unit: Unit) -> str:
    return unit.council or fill_council(config.unit_kinds[unit.kind].council, unit.name)


def count_text(collectives: int, individuals: int) -> str:
    """'02 tập thể và 03 cá nhân' (counts padded as in official texts; empty parts left out)."""
    parts = []
    if collectives:
        parts.append(f"{vn.pad2(collectives)} tập thể")
    if individuals:
        parts.append(f"{vn.pad2(individuals)} cá nhân")
    return " và ".join(parts) if parts else "không có tập thể, cá nhân nào"


def legal_bases(config: Config, day: date, extra: Sequence[LegalBasis] = ()) -> list[str]:
    """The 'Căn cứ' texts in force on the document's date (`extra` ones first)."""
    return [b.text for b in [*extra, *config.legal_bases] if in_force(b, day)]


def report_form(config: Config, day: date) -> ReportForm | None:
    """The Báo cáo thành tích form in force on the report's date (the last listed wins)."""
    forms = [f for f in config.report_forms if in_force(f, day)]
    return forms[-1] if forms else None


def plan_reference(config: Config) -> str:
    """'Kế hoạch số 145/KH-UBND ngày 05 tháng 5 năm 2022 của … về …', as cited in every document.

    Căn cứ lines write dates in ND30's full form, as the laws and decrees cited beside it
    are (issue 13.7); the numeric form stays for '(Kèm theo … ngày 24/02/2023 …)' lines.
    """
    m = config.movement
    return (
        f"Kế hoạch số {m.plan_number} {vn.format_date(m.plan_date)} của "
        f"{m.plan_issuer} về {m.plan_title}"
    )


def nominee_lines(entries: Sequence[dict[str, Any]]) -> list[str]:
    """'- Tập thể: …;' / '- Bà …, chức vụ đơn vị.' lines of a Tờ trình, the last ending '.'."""
    lines = [
        f"- Tập thể: {e['name']}"
        if e["collective"]
        else f"- {e['honorific']} {e['name']}, {e['position_unit']}"
        for e in sorted(entries, key=lambda e: not e["collective"])
    ]
    return [line + (";" if i < len(lines) else ".") for i, line in enumerate(lines, 1)]


#: A phrase longer than this (13 pt) would not fit the narrowest name column: not glued.
_CELL_PHRASE_CM = 6.5


def _cell_text(text: str, position: str, unit: Unit) -> str:
    """`text` for a table cell: the person's position and unit each kept whole."""
    phrases = [p for p in (position, unit_short(unit)) if text_cm(p, 13) <= _CELL_PHRASE_CM]
    return keep_phrases(text, phrases)


def _person_line(person: Person, unit: Unit) -> str:
    return f"{person.position} {unit_short(unit)}"


def award_dict(award: Award) -> dict[str, Any]:
    return {"name": award.name, "short_name": award.short_name, "decided_by": award.decided_by}


def _result(year: int, counted: Sequence[int], values: dict[int, str]) -> str:
    """A year's result; a year whose results cannot exist yet reads "Chưa đánh giá"."""
    if year in values:
        return values[year]
    return "Chưa có" if year in counted else "Chưa đánh giá"


def _par_rows(rnd: Round, unit: Unit, counted: Sequence[int]) -> list[dict[str, str]]:
    shown = {y: f"{vn.format_number(v, 2)}%" for y, v in unit.par_index.items()}
    return [{"year": str(y), "value": _result(y, counted, shown)} for y in rnd.years]


def _rating_rows(rnd: Round, person: Person, counted: Sequence[int]) -> list[dict[str, str]]:
    shown = {y: RATING_NAMES[r] for y, r in person.ratings.items()}
    return [{"year": str(y), "value": _result(y, counted, shown)} for y in rnd.years]


def nominee_entry(
    ws: Workspace, rnd: Round, nom: Nomination, money_day: date, members: int
) -> dict[str, Any]:
    """Everything a document may show about one nominee; money as of `money_day`.

    `money_day` is the document's date: it also decides which years of a period count.
    """
    config = ws.config
    counted = counted_years(config, rnd, money_day)
    award = config.awards[nom.award]
    collective = nom.collective is not None
    amount = reward(config, award, collective, money_day)
    percent = Decimal(nom.votes * 100) / Decimal(members) if members else Decimal(0)
    entry: dict[str, Any] = {
        "collective": collective,
        "kind_label": "Tập thể" if collective else "Cá nhân",
        "award": award_dict(award),
        "votes": nom.votes,
        "members": members,
        "votes_text": f"{nom.votes}/{members}",
        "percent_text": vn.format_percent(percent),
        "achievements": list(nom.achievements),
        "initiatives": list(nom.initiatives),
        "amount": amount,
        "money": amount.rounded,
        "money_text": vn.format_number(amount.rounded),
        "money_exact_text": vn.format_number(amount.exact.normalize()),
        "coefficient_text": vn.format_number(amount.coefficient.normalize()),
    }
    if collective:
        unit = ws.units[nom.collective or ""]
        entry.update(
            id=unit.id,
            name=unit.name,
            short_name=unit_short(unit),
            unit=unit,
            description=unit.name,
            description_cell=unit.name,
            results=_par_rows(rnd, unit, counted),
            head=f"{unit.head.name}, {unit.head.title}",
        )
    else:
        person = ws.people[nom.person or ""]
        unit = ws.units[person.unit]
        entry.update(
            id=person.id,
            name=person.name,
            short_name=person.name,
            unit=unit,
            person=person,
            gender="Nữ" if person.gender == "nữ" else "Nam",
            honorific="Bà" if person.gender == "nữ" else "Ông",
            birth_year=person.birth_year,
            ethnicity=person.ethnicity or "",
            position=person.position,
            position_unit=_person_line(person, unit),
            # for table cells: the position and the unit's name never break inside
            # ("UBND phường Sông / Hiến", "Phó Trưởng / phòng")
            position_cell=_cell_text(_person_line(person, unit), person.position, unit),
            description=f"{person.name}, {_person_line(person, unit)}",
            description_cell=_cell_text(
                f"{person.name}, {_person_line(person, unit)}", person.position, unit
            ),
            results=_rating_rows(rnd, person, counted),
        )
    return entry


class DossierBuilder:
    """Contexts of the four documents of one unit's submission in one round."""

    def __init__(
        self, ws: Workspace, rnd: Round, sub: Submission, history: History | None = None
    ) -> None:
        self.ws = ws
        self.history: History = history or {}
        self.config = ws.config
        self.round = rnd
        self.sub = sub
        self.unit = ws.units[sub.unit]
        self.style = word_style(ws.config)
        self.salary = base_salary_on(ws.config, sub.proposal.date)
        considered = ordered_nominations(ws, sub, carried_only=False)
        self.considered = [self._entry(n) for n in considered]
        for nom, e in zip(considered, self.considered, strict=True):
            e["proposed"] = carried(ws.config, sub, nom)
            e["result_text"] = "Đề nghị" if e["proposed"] else "Không đề nghị"
            if not e["proposed"]:  # the vote table says so in the nominee's own cell
                e["description_cell"] += " (không đề nghị)"
        self.nominations = [
            n for n, e in zip(considered, self.considered, strict=True) if e["proposed"]
        ]
        self.entries = [e for e in self.considered if e["proposed"]]
        for i, e in enumerate(self.collectives, start=1):
            e["index"] = i
        for i, e in enumerate(self.individuals, start=1):
            e["index"] = i

    @property
    def collectives(self) -> list[dict[str, Any]]:
        return [e for e in self.entries if e["collective"]]

    @property
    def individuals(self) -> list[dict[str, Any]]:
        return [e for e in self.entries if not e["collective"]]

    # -- shared pieces --------------------------------------------------------------------

    def _entry(self, nom: Nomination) -> dict[str, Any]:
        entry = nominee_entry(
            self.ws, self.round, nom, self.sub.proposal.date, len(self.sub.meeting.members)
        )
        kind = "collective" if entry["collective"] else "person"
        entry["earlier_awards"] = earlier_lines(
            nom.earlier_awards, self.round, self.history.get((kind, entry["id"]), ())
        )
        return entry

    def _common(self) -> dict[str, Any]:
        movement = self.config.movement
        n_coll, n_ind = len(self.collectives), len(self.individuals)
        return {
            "round": {
                "id": self.round.id,
                "label": self.round.label,
                "kind": self.round.kind,
                "years": self.round.years,
            },
            "movement": {
                "name": movement.name,
                "full": f"phong trào thi đua {movement.name} {self.round.label}",
                "plan": plan_reference(self.config),
                "plan_number": movement.plan_number,
                "plan_date": movement.plan_date,
            },
            "unit": {
                "id": self.unit.id,
                "name": self.unit.name,
                "short_name": unit_short(self.unit),
                "head": self.unit.head,
            },
            "authority": self.config.authority,
            "council": self.sub.meeting.council or council_name(self.config, self.unit),
            "signer": signer(self.config, self.unit),
            "collectives": self.collectives,
            "individuals": self.individuals,
            "nominees": self.entries,
            "count_text": count_text(n_coll, n_ind),
            # the Biên bản's vote: everyone the council considered, proposed or not
            "considered": self.considered,
            "considered_text": count_text(
                sum(1 for e in self.considered if e["collective"]),
                sum(1 for e in self.considered if not e["collective"]),
            ),
            "collective_count": n_coll,
            "individual_count": n_ind,
        }

    def _proposal_ref(self) -> str:
        proposal = self.sub.proposal
        number = proposal.number or " " * 6
        return (
            f"Tờ trình số {number}/TTr-{self.unit.symbol} ngày "
            f"{vn.format_date_short(proposal.date)} của {self.unit.name}"
        )

    # -- the four documents -------------------------------------------------------------------

    def proposal(self) -> dict[str, Any]:
        """Tờ trình đề nghị khen thưởng."""
        ctx = self._common()
        day = self.sub.proposal.date
        meeting = self.sub.meeting
        groups = []
        for award_id, award in self.config.awards.items():
            members = [
                e
                for e, n in zip(self.entries, self.nominations, strict=True)
                if n.award == award_id
            ]
            if not members:
                continue
            colls = [e for e in members if e["collective"]]
            inds = [e for e in members if not e["collective"]]
            total = sum(e["money"] for e in members)
            groups.append(
                {
                    "lines": nominee_lines(members),
                    "award": award_dict(award),
                    "collectives": colls,
                    "individuals": inds,
                    "count_text": count_text(len(colls), len(inds)),
                    "money_total": total,
                    "money_total_text": vn.format_money(total),
                }
            )
        for i, g in enumerate(groups, start=1):
            g["index"] = i
        total = sum(e["money"] for e in self.entries)
        # An award the addressee cannot give itself (Bằng khen of the province) is asked for
        # "and proposed to the level above"; the money is then stated per level.
        upward = any(not self.config.awards[n.award].by_authority for n in self.nominations)
        money_lines = []
        if len(groups) > 1:
            money_lines = [
                f"- {g['award']['name']}: {g['money_total_text']}"
                + ("." if i == len(groups) else ";")
                for i, g in enumerate(groups, start=1)
            ]
        bases = [f"Căn cứ {text};" for text in legal_bases(self.config, day)]
        bases.append(f"Căn cứ {ctx['movement']['plan']};")
        meeting_ref = f"Biên bản họp xét {vn.format_date(meeting.date)}"
        if meeting.number:
            meeting_ref = f"Biên bản số {meeting.number}/BB-HĐTĐKT {vn.format_date(meeting.date)}"
        bases.append(f"Căn cứ {meeting_ref} của {ctx['council']}.")
        ctx.update(
            header=header(
                self.config,
                self.unit,
                number=self.sub.proposal.number,
                symbol=f"TTr-{self.unit.symbol}",
                day=day,
            ),
            summary=title_text(
                self.config,
                "Về việc đề nghị khen thưởng tập thể, cá nhân có thành tích xuất sắc trong "
                f"{ctx['movement']['full']}",
            ),
            recipient=self.config.authority.chair_title,
            request=(
                "xem xét, khen thưởng và đề nghị cấp trên khen thưởng"
                if upward
                else "xem xét, khen thưởng"
            ),
            closing=(
                "xem xét, quyết định và đề nghị cấp trên khen thưởng"
                if upward
                else "xem xét, quyết định"
            ),
            bases=bases,
            groups=groups,
            money_lines=money_lines,
            money_tail=", trong đó:" if money_lines else ".",
            money_total=total,
            money_total_text=vn.format_money(total),
            money_words=vn.money_in_words(total, self.style),
            base_salary=self.salary.amount,
            base_salary_text=vn.format_money(self.salary.amount),
            base_salary_decree=self.salary.decree,
            recipients=["- Như trên;", "- Lưu: VT."],
        )
        return ctx

    def minutes(self) -> dict[str, Any]:
        """Biên bản họp xét of the unit's emulation council."""
        ctx = self._common()
        meeting = self.sub.meeting
        members: list[dict[str, Any]] = []
        for i, m in enumerate(meeting.members, start=1):
            line = f"{i}. Đồng chí {m.name}, {m.position}, {m.role}"
            line += ";" if m.present else f" (vắng mặt, lý do: {m.reason});"
            members.append({"index": i, "name": m.name, "line": line, "present": m.present})
        if members:
            members[-1]["line"] = members[-1]["line"][:-1] + "."
        present = sum(1 for m in meeting.members if m.present)
        by_name = {m.name: m for m in meeting.members}
        chair, secretary = by_name[meeting.chair], by_name[meeting.secretary]
        bold = ["HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"]
        lines = unit_lines(self.unit)
        parent = ["UBND " + " ".join(lines[1:])] if lines[0] == "ỦY BAN NHÂN DÂN" else lines
        ctx.update(
            header=header(
                self.config,
                self.unit,
                number=meeting.number,
                symbol="BB-HĐTĐKT",
                lines=bold,
                parent=parent,
            ),
            summary=title_text(
                self.config,
                "Họp xét, đề nghị khen thưởng tập thể, cá nhân có thành tích xuất sắc trong "
                f"{ctx['movement']['full']}",
            ),
            meeting={
                "date": meeting.date,
                "date_text": vn.format_date(meeting.date),
                "start_text": vn.format_time(meeting.start),
                "end_text": vn.format_time(meeting.end),
                "place": meeting.place,
                "members": members,
                "total": len(meeting.members),
                "present": present,
                "absent": len(meeting.members) - present,
                "chair": {"name": chair.name, "position": chair.position, "role": chair.role},
                "secretary": {
                    "name": secretary.name,
                    "position": secretary.position,
                    "role": secretary.role,
                },
            },
            recipient=self.config.authority.chair_title,
            recipients=["- Hồ sơ đề nghị khen thưởng;", "- Lưu: VT."],
        )
        return ctx

    def nominee_list(self) -> dict[str, Any]:
        """Danh sách tập thể, cá nhân đề nghị khen thưởng (annex of the Tờ trình)."""
        ctx = self._common()
        groups = []
        if self.collectives:
            groups.append("collectives")
        if self.individuals:
            groups.append("individuals")
        ctx.update(
            header=header(self.config, self.unit, day=self.sub.proposal.date),
            summary=title_text(
                self.config, "Tập thể, cá nhân đề nghị khen thưởng trong " + ctx["movement"]["full"]
            ),
            attached=title_text(self.config, f"(Kèm theo {self._proposal_ref()})", self.unit.name),
            collectives_label=f"{vn.roman(groups.index('collectives') + 1)}. TẬP THỂ"
            if self.collectives
            else "",
            individuals_label=f"{vn.roman(groups.index('individuals') + 1)}. CÁ NHÂN"
            if self.individuals
            else "",
            total_text=f"Tổng số: {ctx['count_text']}.",
        )
        return ctx

    def report(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Báo cáo thành tích of one nominee, in the form of its date's regime (report_forms)."""
        ctx = self._common()
        unit: Unit = entry["unit"]
        day = self.sub.meeting.date
        if entry["collective"]:
            left = {
                "title": "XÁC NHẬN CỦA CẤP TRÌNH KHEN THƯỞNG",
                "authority": "",
                "name": "",
                "note": "(Ký, đóng dấu)",
            }
            right_signer = signer(self.config, unit)
            right = {
                "title": "THỦ TRƯỞNG ĐƠN VỊ",
                "authority": "",
                "name": right_signer["name"],
                "note": "(Ký, đóng dấu)",
            }
        else:
            left_signer = signer(self.config, unit)
            left = {
                "title": "XÁC NHẬN CỦA THỦ TRƯỞNG ĐƠN VỊ",
                "authority": "",
                "name": left_signer["name"],
                "note": "(Ký, đóng dấu)",
            }
            right = {
                "title": "NGƯỜI BÁO CÁO THÀNH TÍCH",
                "authority": "",
                "name": entry["name"],
                "note": "(Ký, ghi rõ họ tên)",
            }
        # the cells carry "%" ("92,30%"), so the column's title does not (issue 13.5)
        results_title = "Chỉ số cải cách hành chính" if entry["collective"] else "Xếp loại"
        form = report_form(self.config, day)
        movement = ctx["movement"]["full"]
        ctx.update(
            header=header(self.config, unit, day=day),
            nominee=entry,
            report_title=form.title if form else "BÁO CÁO THÀNH TÍCH",
            form=form.form if form else "",
            form_notes=list(form.notes) if form else [],
            title_award=title_text(self.config, f"Đề nghị tặng {entry['award']['name']}"),
            subtitle=title_text(
                self.config,
                form.subtitle.replace("{movement}", movement)
                if form
                else f"(Khen thưởng theo đợt thi đua: {movement})",
            ),
            results_title=results_title,
            left=left,
            right=right,
        )
        return ctx

    def jobs(self) -> list[DocumentJob]:
        """The whole dossier, in the order the plan lists it (section IV.4)."""
        contexts = [self.proposal(), self.minutes(), self.nominee_list()]
        contexts += [self.report(entry) for entry in self.entries]
        files = _files(self.nominations)
        return [DocumentJob(t, f, c) for (t, f), c in zip(files, contexts, strict=True)]


def ordered_nominations(
    ws: Workspace, sub: Submission, carried_only: bool = True
) -> list[Nomination]:
    """Collectives first, then individuals (by given name when the style asks for it); only
    those the council's vote carried unless `carried_only` is false (the Biên bản's vote)."""
    noms = [n for n in sub.nominations if not carried_only or carried(ws.config, sub, n)]
    collectives = [n for n in noms if n.collective]
    individuals = [n for n in noms if n.person]
    if ws.config.style.name_sort == "given_name":
        individuals.sort(key=lambda n: vn.name_sort_key(ws.people[n.person or ""].name))
    return collectives + individuals


def dossier_files(ws: Workspace, sub: Submission) -> list[tuple[str, str]]:
    """(template, file name) of every document of a dossier, without making any context."""
    return _files(ordered_nominations(ws, sub))


def _files(nominations: Sequence[Nomination]) -> list[tuple[str, str]]:
    files = [
        ("to-trinh.docx", "01-to-trinh.docx"),
        ("bien-ban-hop-xet.docx", "02-bien-ban-hop-xet.docx"),
        ("danh-sach.docx", "03-danh-sach.docx"),
    ]
    # as many digits as the count needs (at least two), so that file name order is report
    # order for 100 or 1,000 nominations too (the merged document follows file name order)
    digits = max(2, len(str(len(nominations))))
    for i, nom in enumerate(nominations, start=1):
        kind, ident = ("tap-the", nom.collective) if nom.collective else ("ca-nhan", nom.person)
        files.append(
            ("bao-cao-thanh-tich.docx", f"04-bao-cao-thanh-tich-{i:0{digits}d}-{kind}-{ident}.docx")
        )
    return files


def dossier_jobs(
    ws: Workspace, rnd: Round, sub: Submission, history: History | None = None
) -> list[DocumentJob]:
    """Every document of one unit's dossier in one round (`history`: the register's earlier
    awards, listed in each Báo cáo thành tích)."""
    return DossierBuilder(ws, rnd, sub, history).jobs()


def dossier_documents(
    ws: Workspace, rnd: Round, sub: Submission, folder: Path, history: History | None = None
) -> DocumentSet:
    """One unit's dossier, its contexts made when it is rendered."""
    return DocumentSet(
        folder,
        tuple(dossier_files(ws, sub)),
        lambda: DossierBuilder(ws, rnd, sub, history).jobs(),
    )
