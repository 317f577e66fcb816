"""The workspace's data model: units, people, rounds and what they hold, as typed,
frozen records (field docs feed the JSON Schema and the validation messages).

Loading and cross-checking live in `docgen.workspace.data`; the workbook reader maps its
columns onto these records, so both import this module and neither imports the other's
loader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Literal

from docgen.errors import Problem
from docgen.i18n import N_
from docgen.workspace.config import Config, Rating, Signer, UnitKindId
from docgen.workspace.schema import SINGLE_LINE, doc


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

    @property
    def short_name(self) -> str:
        """Name for table cells: 'UBND phường Sông Hiến' instead of 'Ủy ban nhân dân …'."""
        prefix = "Ủy ban nhân dân "
        return "UBND " + self.name[len(prefix) :] if self.name.startswith(prefix) else self.name


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
    earlier_awards: list[str] = doc(
        N_(
            "các hình thức khen thưởng đã được tặng, mỗi mục một dòng (thêm vào những gì sổ "
            "khen thưởng có)"
        ),
        default_factory=list,
    )


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
    #: what validate shows without refusing the data (e.g. a position that names its unit)
    warnings: list[Problem] = field(default_factory=list)


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
