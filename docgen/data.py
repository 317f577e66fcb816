"""The data/ folder: units, people and rounds, loaded, typed and cross-checked.

Every problem in every file is collected before anything is reported, each with its file,
line and key path, so one `docgen validate` run lists everything to fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from .config import Config, Rating, Signer, UnitKindId
from .errors import Problem, ValidationError
from .i18n import N_, _
from .schema import SINGLE_LINE, Converter, doc, shadowed, suggest
from .yamlio import KeyPath, Source, load_yaml

if TYPE_CHECKING:
    from .xlsx import Book

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


@dataclass(frozen=True)
class Head:
    """The head of a unit (thủ trưởng)."""

    name: str = doc(N_("họ và tên"))
    title: str = doc(N_("chức vụ: 'Trưởng phòng', 'Chủ tịch UBND phường'"))


@dataclass(frozen=True)
class Unit:
    """A government unit: a specialised office, a commune, a ward or a public-service unit."""

    id: str = doc(N_("mã đơn vị: chữ thường không dấu, số, '-' (dùng làm tên thư mục)"))
    name: str = doc(
        N_("tên đơn vị trong câu văn: 'Phòng Tư pháp', 'Ủy ban nhân dân phường Sông Hiến'")
    )
    kind: UnitKindId = doc(N_("loại: office, commune, ward, public_service"))
    symbol: str = doc(N_("chữ viết tắt trong số ký hiệu văn bản: 'UBND', 'PTP'"))
    head: Head = doc(N_("thủ trưởng đơn vị"))
    header: list[str] | None = doc(
        N_("các dòng tên đơn vị ở góc trái (mặc định: tên in hoa)"), None
    )
    place: str | None = doc(N_("địa danh ở dòng ngày tháng (mặc định: như cấp khen thưởng)"), None)
    signer: Signer | None = doc(N_("người ký tờ trình (mặc định: thủ trưởng)"), None)
    council: str | None = doc(
        N_("tên Hội đồng thi đua của đơn vị (mặc định theo loại đơn vị)"), None
    )
    par_index: dict[int, Decimal] = doc(
        N_("Chỉ số cải cách hành chính theo năm (%)"), default_factory=dict
    )
    achievements: dict[int, list[str]] = doc(N_("thành tích khác theo năm"), default_factory=dict)


@dataclass(frozen=True)
class Person:
    """A civil servant or public employee who can be nominated."""

    id: str = doc(N_("mã cá nhân: chữ thường không dấu, số, '-'"))
    name: str = doc(N_("họ và tên đầy đủ"))
    gender: Literal["nam", "nữ"] = doc(N_("giới tính"))
    birth_year: int = doc(N_("năm sinh"))
    position: str = doc(
        N_("chức vụ, không kèm tên đơn vị (docgen tự ghép): 'Chuyên viên', 'Phó Trưởng phòng'")
    )
    unit: str = doc(N_("mã đơn vị công tác"))
    ethnicity: str | None = doc(N_("dân tộc"), None)
    ratings: dict[int, Rating] = doc(
        N_("xếp loại chất lượng theo năm: HTXSNV, HTTNV, HTNV, KHTNV"), default_factory=dict
    )


@dataclass(frozen=True)
class Member:
    """A member of the emulation council at the meeting."""

    name: str = doc(N_("họ và tên"))
    position: str = doc(N_("chức vụ: 'Chủ tịch UBND phường'"))
    role: str = doc(N_("vai trò trong Hội đồng: 'Chủ tịch Hội đồng', 'Ủy viên'"))
    present: bool = doc(N_("có mặt"), True)
    reason: str | None = doc(N_("lý do vắng mặt"), None)


@dataclass(frozen=True)
class Meeting:
    """The council meeting that considered the nominations (Biên bản họp xét)."""

    date: date = doc(N_("ngày họp"))
    start: time = doc(N_("giờ bắt đầu, HH:MM (nên đặt trong dấu nháy: '14:00')"))
    end: time = doc(N_("giờ kết thúc, HH:MM"))
    place: str = doc(N_("địa điểm họp"))
    members: list[Member] = doc(N_("thành viên Hội đồng"))
    chair: str = doc(N_("họ tên người chủ trì (phải là một thành viên có mặt)"))
    secretary: str = doc(N_("họ tên thư ký (phải là một thành viên có mặt)"))
    number: str | None = doc(N_("số biên bản (để trống cho văn thư điền)"), None)
    council: str | None = doc(
        N_("tên Hội đồng họp xét, nếu khác Hội đồng của đơn vị (ví dụ Hội đồng cấp thành phố)"),
        None,
    )


@dataclass(frozen=True)
class Proposal:
    """The Tờ trình of the nominating unit."""

    date: date = doc(N_("ngày tờ trình"))
    number: str | None = doc(N_("số tờ trình (để trống cho văn thư điền)"), None)


@dataclass(frozen=True)
class Nomination:
    """One nominee (a collective or a person) for one award."""

    award: str = doc(N_("mã hình thức khen thưởng trong config.yaml"))
    votes: int = doc(N_("số thành viên Hội đồng đồng ý"))
    collective: str | None = doc(N_("mã đơn vị được đề nghị (tập thể)"), None)
    person: str | None = doc(N_("mã cá nhân được đề nghị"), None)
    achievements: list[str] = doc(N_("thành tích đạt được, mỗi mục một đoạn"), default_factory=list)
    initiatives: list[str] = doc(N_("sáng kiến, cách làm mới được công nhận"), default_factory=list)


@dataclass(frozen=True)
class Submission:
    """What one unit submits in a round: Tờ trình, meeting, nominations."""

    unit: str = doc(N_("mã đơn vị trình"))
    proposal: Proposal = doc(N_("tờ trình"))
    meeting: Meeting = doc(N_("cuộc họp xét của Hội đồng"))
    nominations: list[Nomination] = doc(N_("danh sách đề nghị"))


@dataclass(frozen=True)
class Period:
    """A multi-year period."""

    start: int = doc(N_("năm đầu"))
    end: int = doc(N_("năm cuối"))


@dataclass(frozen=True)
class DecisionInfo:
    """The reward decision (Quyết định) closing a round, and the proposal it answers."""

    proposal_date: date = doc(N_("ngày tờ trình của người đề nghị (Phòng Nội vụ)"))
    date: date = doc(N_("ngày ký quyết định (quyết định tiền thưởng theo lương cơ sở ngày này)"))
    number: str | None = doc(N_("số quyết định (để trống cho văn thư điền)"), None)
    proposal_number: str | None = doc(N_("số tờ trình của người đề nghị"), None)


@dataclass(frozen=True)
class Round:
    """One round of rewards: annual (one year) or the whole period."""

    id: str = doc(N_("mã đợt: '2022', '2021-2025'"))
    kind: Literal["annual", "period"] = doc(N_("annual: hằng năm; period: tổng kết giai đoạn"))
    submissions: list[Submission] = doc(N_("hồ sơ của các đơn vị"))
    year: int | None = doc(N_("năm (đợt hằng năm)"), None)
    period: Period | None = doc(N_("giai đoạn (đợt tổng kết)"), None)
    decision: DecisionInfo | None = doc(N_("quyết định khen thưởng của cấp khen thưởng"), None)
    superior_proposal: Proposal | None = doc(
        N_("tờ trình của cấp khen thưởng đề nghị cấp trên (Bằng khen tỉnh)"), None
    )
    note: str = doc(N_("ghi chú tự do"), "")

    @property
    def label(self) -> str:
        """How the round is named in running text: 'năm 2022', 'giai đoạn 2021-2025'."""
        if self.kind == "annual":
            return f"năm {self.year}"
        assert self.period is not None
        return f"giai đoạn {self.period.start}-{self.period.end}"

    @property
    def years(self) -> list[int]:
        if self.kind == "annual":
            return [self.year] if self.year is not None else []
        assert self.period is not None
        return list(range(self.period.start, self.period.end + 1))


@dataclass(frozen=True)
class UnitsFile:
    """data/units.yaml"""

    units: list[Unit] = doc(N_("các đơn vị"))
    note: str = doc(N_("ghi chú tự do (ví dụ: 'dữ liệu mẫu')"), "")


@dataclass(frozen=True)
class PeopleFile:
    """data/people.yaml"""

    people: list[Person] = doc(N_("các cá nhân"))
    note: str = doc(N_("ghi chú tự do (ví dụ: 'dữ liệu mẫu')"), "")


@dataclass(frozen=True)
class Workspace:
    """Config plus all data, validated and cross-referenced."""

    config: Config
    units: dict[str, Unit]
    people: dict[str, Person]
    rounds: dict[str, Round]
    files: dict[str, Path]


# Names, titles and places are printed inside sentences, headings and table cells.
SINGLE_LINE.update(
    {
        Head: {"name", "title"},
        Unit: {"name", "symbol", "place", "council", "header"},
        Person: {"name", "position", "ethnicity"},
        Member: {"name", "position", "role", "reason"},
        Meeting: {"place", "chair", "secretary", "number", "council"},
        Proposal: {"number"},
    }
)

UNITS_FILE = "units.yaml"
PEOPLE_FILE = "people.yaml"
ROUNDS_DIR = "rounds"
#: A workbook that may replace units.yaml and people.yaml and hold the rounds' nominations.
WORKBOOK_FILE = "du-lieu.xlsx"


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
    return Workspace(config, units, people, round_index, files)


def _open_book(data_dir: Path) -> Book | None:
    """The data workbook, when there is one (openpyxl is loaded only then)."""
    if not any(data_dir.glob(Path(WORKBOOK_FILE).stem + ".*")):
        return None
    from .xlsx import open_book

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
YEARS = (1900, 2100)


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
        if not 1900 <= year <= 2100:
            problems.append(
                make((*path, "par_index", year), _("năm {year} không hợp lệ").format(year=year))
            )
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
