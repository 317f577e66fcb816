"""The data/ folder: units, people and rounds, loaded, typed and cross-checked.

Every problem in every file is collected before anything is reported, each with its file,
line and key path, so one `docgen validate` run lists everything to fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from docgen import vnformat as vn
from docgen.errors import Problem, ValidationError
from docgen.i18n import N_, _
from docgen.workspace.config import Config
from docgen.workspace.model import (
    PEOPLE_FILE,
    ROUNDS_DIR,
    UNITS_FILE,
    WORKBOOK_FILE,
    Meeting,
    PeopleFile,
    Person,
    Round,
    Unit,
    UnitsFile,
    Workspace,
)
from docgen.workspace.schema import Converter, shadowed, suggest
from docgen.workspace.yamlio import KeyPath, Source, load_yaml

if TYPE_CHECKING:
    from docgen.workspace.workbook import Book

#: Ids become folder names: keep them portable and unable to climb out of the output folder.
ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$")
#: "quyet-dinh" is the folder of a round's decision documents, beside the units' folders.
_WINDOWS_RESERVED = {
    "quyet-dinh",
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def load_data(config: Config, data_dir: Path) -> Workspace:
    """Load every data file, report all problems together, or return the workspace."""
    problems: list[Problem] = []
    if not data_dir.is_dir():
        raise ValidationError(
            [Problem(str(data_dir), None, "", _("không tìm thấy thư mục dữ liệu"))]
        )

    book = _open_book(data_dir)

    def load(path: Path, cls: type[object]) -> tuple[object | None, Source]:
        value, source, found = load_yaml(path, _display(path))
        if book is not None and cls is Round:
            source = book.graft(value, source)  # nominations from the workbook's rows
        return convert(value, source, found, cls)

    def convert(
        value: Any, source: Source, found: list[Problem], cls: type[object]
    ) -> tuple[object | None, Source]:
        problems.extend(found)
        if value is None:
            return None, source
        # a bad value or a duplicate key spoils one value, not the file: report the rest too
        converter = Converter(source)
        obj = converter.dataclass(value, cls, ())
        problems.extend(c for c in converter.problems if not shadowed(c, found))
        if any(p.path in ("", "units", "people") for p in [*found, *converter.problems]):
            return None, source  # no usable list: checking references against it is noise
        return obj, source

    files = {"units": data_dir / UNITS_FILE, "people": data_dir / PEOPLE_FILE}
    if book is not None and book.units is not None:
        units_obj, units_src = convert(*book.units.parts(), UnitsFile)
        files["units"] = book.path
    else:
        units_obj, units_src = load(data_dir / UNITS_FILE, UnitsFile)
    if book is not None and book.people is not None:
        people_obj, people_src = convert(*book.people.parts(), PeopleFile)
        files["people"] = book.path
    else:
        people_obj, people_src = load(data_dir / PEOPLE_FILE, PeopleFile)
    round_files, misnamed = _round_files(data_dir / ROUNDS_DIR)
    problems.extend(misnamed)
    if not round_files:
        problems.append(
            Problem(
                _display(data_dir / ROUNDS_DIR),
                None,
                "",
                _("không có tệp đợt khen thưởng (*.yaml)"),
            )
        )
    rounds: list[tuple[Round, Source]] = []
    for path in round_files:
        obj, src = load(path, Round)
        if isinstance(obj, Round):
            rounds.append((obj, src))
    if book is not None:
        problems.extend(book.finish())

    checks: list[Problem] = []
    warnings: list[Problem] = []
    units: dict[str, Unit] = {}
    people: dict[str, Person] = {}
    units_ok = isinstance(units_obj, UnitsFile)
    people_ok = isinstance(people_obj, PeopleFile)
    if isinstance(units_obj, UnitsFile):
        units = _index(
            units_obj.units,
            ("units",),
            units_src,
            checks,
            N_("mã đơn vị '{id}' bị trùng (đã có ở dòng {line})"),
        )
        for i, unit in enumerate(units_obj.units):
            _check_unit(unit, ("units", i), units_src.problem, config, checks)
    if isinstance(people_obj, PeopleFile):
        people = _index(
            people_obj.people,
            ("people",),
            people_src,
            checks,
            N_("mã cá nhân '{id}' bị trùng (đã có ở dòng {line})"),
        )
        for i, person in enumerate(people_obj.people):
            ppath: KeyPath = ("people", i)
            if units_ok and person.unit not in units:
                checks.append(
                    people_src.problem(
                        (*ppath, "unit"),
                        _("không có đơn vị mã '{id}'").format(id=person.unit),
                        suggest(person.unit, list(units)),
                    )
                )
            if units_ok and person.unit in units:
                repeated = _position_names_unit(person.position, units[person.unit])
                if repeated:
                    warnings.append(people_src.problem((*ppath, "position"), repeated))
            if not 1900 <= person.birth_year <= date.today().year:
                checks.append(
                    people_src.problem((*ppath, "birth_year"), _("năm sinh không hợp lệ"))
                )

    round_index: dict[str, Round] = {}
    for rnd, src in rounds:
        if rnd.id in round_index:
            checks.append(
                src.problem(("id",), _("mã đợt '{id}' bị trùng với tệp khác").format(id=rnd.id))
            )
        round_index[rnd.id] = rnd
        refs = _Refs(units if units_ok else None, people if people_ok else None)
        _check_round(rnd, src.problem, config, refs, checks)

    problems.extend(c for c in checks if not shadowed(c, problems))
    if problems:
        raise ValidationError(problems)
    return Workspace(config, units, people, round_index, files, warnings)


def _open_book(data_dir: Path) -> Book | None:
    """The data workbook, when there is one (openpyxl is loaded only then)."""
    if not any(data_dir.glob(Path(WORKBOOK_FILE).stem + ".*")):
        return None
    from docgen.workspace.workbook import open_book

    return open_book(data_dir, _display)


_Item = TypeVar("_Item", Unit, Person)


@dataclass(frozen=True)
class _Refs:
    """What references can be checked against (None: that file failed to load)."""

    units: dict[str, Unit] | None
    people: dict[str, Person] | None


def _round_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """data/rounds/*.yaml, without editors' hidden and lock files; *.yml is named, not ignored."""
    if not folder.is_dir():
        return [], []
    files, misnamed = [], []
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "~$")):
            continue
        if path.suffix == ".yaml":
            files.append(path)
        elif path.suffix.lower() in (".yaml", ".yml"):
            misnamed.append(
                Problem(
                    _display(path),
                    None,
                    "",
                    _("tệp không được đọc: tệp đợt khen thưởng phải có đuôi .yaml"),
                    _("đổi tên thành '{name}'").format(name=f"{path.stem}.yaml"),
                )
            )
    return files, misnamed


def _display(path: Path) -> str:
    """Paths in messages relative to where the user stands, when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _index(
    items: list[_Item], path: KeyPath, src: Source, problems: list[Problem], duplicate: str
) -> dict[str, _Item]:
    """Items by id; `duplicate` is the N_-marked message for an id seen twice ({id}, {line})."""
    out: dict[str, _Item] = {}
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        where = (*path, i, "id")
        bad = _bad_id(item.id)
        if bad:
            problems.append(src.problem(where, bad))
        if item.id in out:
            problems.append(
                src.problem(
                    where,
                    _(duplicate).format(id=item.id, line=src.line((*path, first[item.id], "id"))),
                )
            )
            continue
        out[item.id] = item
        first[item.id] = i
    return out


#: Years a round, a score or a rating may refer to.
#: Years a round, a result or a document date may carry: the Republic's first year to next year.
YEARS = (1945, date.today().year + 1)


def _words(text: str) -> list[str]:
    return text.replace("Ủy ban nhân dân", "UBND").casefold().split()


def _position_names_unit(position: str, unit: Unit) -> str:
    """A position that already ends with its unit's name doubles it in every document.

    Documents write "position + unit" ("Phó Chủ tịch UBND phường Sông Hiến"); a position
    "Phó Chủ tịch UBND phường" gives "… UBND phường UBND phường Sông Hiến". "Trưởng phòng
    Phòng Nội vụ" (one word shared) is the usual wording and is not flagged.
    """
    pos, name = _words(position), _words(unit.short_name)
    overlap = next(
        (k for k in range(min(len(pos), len(name)), 1, -1) if pos[-k:] == name[:k]), 0
    )
    if not overlap:
        return ""
    keep = " ".join(position.replace("Ủy ban nhân dân", "UBND").split()[: -overlap]) or position
    return _(
        "chức vụ '{position}' đã nêu tên đơn vị: văn bản sẽ ghi '{position} {unit}'; "
        "chỉ ghi chức vụ, ví dụ '{keep}'"
    ).format(position=position, unit=unit.short_name, keep=keep)


def _bad_id(value: str) -> str:
    if not ID_PATTERN.match(value) or value in _WINDOWS_RESERVED:
        return _(
            "mã '{id}' không hợp lệ: chỉ dùng chữ thường không dấu a-z, số 0-9, '-' "
            "hoặc '_', tối đa 64 ký tự, không bắt đầu/kết thúc bằng dấu"
        ).format(id=value)
    return ""


def _bad_year(year: int) -> str:
    return _("năm {year} không hợp lệ ({first}–{last})").format(
        year=year, first=YEARS[0], last=YEARS[1]
    )


Make = Callable[..., Problem]


def _check_unit(
    unit: Unit, path: KeyPath, make: Make, config: Config, problems: list[Problem]
) -> None:
    if unit.kind not in config.unit_kinds:
        problems.append(
            make(
                (*path, "kind"),
                _("config.yaml không khai báo loại đơn vị '{kind}'").format(kind=unit.kind),
            )
        )
    for year, score in unit.par_index.items():
        if not YEARS[0] <= year <= YEARS[1]:
            problems.append(make((*path, "par_index", year), _bad_year(year)))
        if not Decimal(0) <= score <= Decimal(100):
            problems.append(
                make(
                    (*path, "par_index", year),
                    _("Chỉ số CCHC phải từ 0 đến 100 (%), nhận được {score}").format(score=score),
                )
            )


def _check_round(
    rnd: Round,
    make: Make,
    config: Config,
    refs: _Refs,
    problems: list[Problem],
) -> None:
    units, people = refs.units, refs.people
    bad = _bad_id(rnd.id)
    if bad:
        problems.append(make(("id",), bad))
    if rnd.kind == "annual" and rnd.year is None:
        problems.append(make(("year",), _("đợt hằng năm cần khóa 'year'")))
    if rnd.year is not None and not YEARS[0] <= rnd.year <= YEARS[1]:
        problems.append(make(("year",), _bad_year(rnd.year)))
    if rnd.kind == "period":
        if rnd.period is None:
            problems.append(make(("period",), _("đợt giai đoạn cần khóa 'period' (start, end)")))
        elif rnd.period.start > rnd.period.end:
            problems.append(make(("period",), _("năm đầu phải nhỏ hơn năm cuối")))
        else:
            for side in ("start", "end"):
                year = getattr(rnd.period, side)
                if not YEARS[0] <= year <= YEARS[1]:
                    problems.append(make(("period", side), _bad_year(year)))
    seen_units: dict[str, int] = {}
    seen_nominees: dict[tuple[str, str], KeyPath] = {}
    for s, sub in enumerate(rnd.submissions):
        spath: KeyPath = ("submissions", s)
        if units is not None and sub.unit not in units:
            problems.append(
                make(
                    (*spath, "unit"),
                    _("không có đơn vị mã '{id}'").format(id=sub.unit),
                    suggest(sub.unit, list(units)),
                )
            )
        if sub.unit in seen_units:
            problems.append(
                make(
                    (*spath, "unit"),
                    _("đơn vị '{unit}' đã có hồ sơ trong đợt này ({where})").format(
                        unit=sub.unit, where=f"submissions[{seen_units[sub.unit]}]"
                    ),
                )
            )
        seen_units.setdefault(sub.unit, s)
        _check_meeting(sub.meeting, (*spath, "meeting"), make, problems)
        if not sub.nominations:
            problems.append(make((*spath, "nominations"), _("hồ sơ không có ai được đề nghị")))
        members = len(sub.meeting.members)
        for n, nom in enumerate(sub.nominations):
            npath: KeyPath = (*spath, "nominations", n)
            if (nom.collective is None) == (nom.person is None):
                problems.append(
                    make(
                        npath,
                        _(
                            "mỗi đề nghị cần đúng một trong hai khóa "
                            "'collective' (tập thể) hoặc 'person' (cá nhân)"
                        ),
                    )
                )
            if units is not None and nom.collective is not None and nom.collective not in units:
                problems.append(
                    make(
                        (*npath, "collective"),
                        _("không có đơn vị mã '{id}'").format(id=nom.collective),
                        suggest(nom.collective, list(units)),
                    )
                )
            if people is not None and nom.person is not None and nom.person not in people:
                problems.append(
                    make(
                        (*npath, "person"),
                        _("không có cá nhân mã '{id}'").format(id=nom.person),
                        suggest(nom.person, list(people)),
                    )
                )
            if nom.award not in config.awards:
                problems.append(
                    make(
                        (*npath, "award"),
                        _("config.yaml không có hình thức khen thưởng '{award}'").format(
                            award=nom.award
                        ),
                        suggest(nom.award, list(config.awards)),
                    )
                )
            present = sum(1 for m in sub.meeting.members if m.present)
            if not 0 <= nom.votes <= present:
                problems.append(
                    make(
                        (*npath, "votes"),
                        _(
                            "số phiếu đồng ý {votes} phải từ 0 đến số thành viên có "
                            "mặt ({present}/{members})"
                        ).format(votes=nom.votes, present=present, members=members),
                    )
                )
            key = ("collective", nom.collective) if nom.collective else ("person", nom.person or "")
            if key in seen_nominees and key[1]:
                problems.append(
                    make(
                        npath,
                        _(
                            "'{nominee}' đã được đề nghị trong đợt này (mỗi đối tượng chỉ một lần)"
                        ).format(nominee=key[1]),
                    )
                )
            seen_nominees.setdefault(key, npath)
            person = people.get(nom.person) if people is not None and nom.person else None
            last = rnd.year if rnd.year is not None else rnd.period.end if rnd.period else None
            if person is not None and last is not None and person.birth_year > last:
                problems.append(
                    make(
                        (*npath, "person"),
                        _("'{id}' sinh năm {born}, sau đợt khen thưởng {round}").format(
                            id=person.id, born=person.birth_year, round=rnd.id
                        ),
                    )
                )
    _check_dates(rnd, make, problems)


def _check_dates(rnd: Round, make: Make, problems: list[Problem]) -> None:
    """Dates that cannot all be true: a Tờ trình before its meeting, a decision before
    the proposal it answers, a year outside what a document of today can carry."""
    dated: list[tuple[KeyPath, date]] = []
    for s, sub in enumerate(rnd.submissions):
        spath: KeyPath = ("submissions", s)
        dated += [((*spath, "proposal", "date"), sub.proposal.date)]
        dated += [((*spath, "meeting", "date"), sub.meeting.date)]
        if sub.proposal.date < sub.meeting.date:
            problems.append(
                make(
                    (*spath, "proposal", "date"),
                    _("Tờ trình ngày {proposal} trước cuộc họp xét ngày {meeting}").format(
                        proposal=vn.format_date_short(sub.proposal.date),
                        meeting=vn.format_date_short(sub.meeting.date),
                    ),
                )
            )
    decision = rnd.decision
    if decision is not None:
        dated += [(("decision", "date"), decision.date)]
        dated += [(("decision", "proposal_date"), decision.proposal_date)]
        if decision.date < decision.proposal_date:
            problems.append(
                make(
                    ("decision", "date"),
                    _("Quyết định ngày {decision} trước tờ trình ngày {proposal} mà nó xét").format(
                        decision=vn.format_date_short(decision.date),
                        proposal=vn.format_date_short(decision.proposal_date),
                    ),
                )
            )
        latest = max(rnd.submissions, key=lambda sub: sub.proposal.date, default=None)
        if latest is not None and decision.proposal_date < latest.proposal.date:
            problems.append(
                make(
                    ("decision", "proposal_date"),
                    _(
                        "tờ trình đề nghị quyết định ngày {proposal} trước Tờ trình "
                        "ngày {unit_date} của đơn vị '{unit}'"
                    ).format(
                        proposal=vn.format_date_short(decision.proposal_date),
                        unit_date=vn.format_date_short(latest.proposal.date),
                        unit=latest.unit,
                    ),
                )
            )
    for where, day in dated:
        if not YEARS[0] <= day.year <= YEARS[1]:
            problems.append(make(where, _bad_year(day.year)))


def _check_meeting(meeting: Meeting, path: KeyPath, make: Make, problems: list[Problem]) -> None:
    if meeting.end <= meeting.start:
        problems.append(make((*path, "end"), _("giờ kết thúc phải sau giờ bắt đầu")))
    if not meeting.members:
        problems.append(make((*path, "members"), _("cần danh sách thành viên Hội đồng")))
    present = {m.name for m in meeting.members if m.present}
    names = [m.name for m in meeting.members]
    for key in ("chair", "secretary"):
        who = getattr(meeting, key)
        if who not in present:
            message = (
                _("người chủ trì '{name}' phải là một thành viên có mặt")
                if key == "chair"
                else _("người thư ký '{name}' phải là một thành viên có mặt")
            )
            problems.append(
                make(
                    (*path, key),
                    message.format(name=who),
                    suggest(who, names),
                )
            )
    for i, member in enumerate(meeting.members):
        if not member.present and not member.reason:
            problems.append(
                make(
                    (*path, "members", i, "reason"),
                    _("thành viên vắng mặt cần ghi lý do ('reason')"),
                )
            )
