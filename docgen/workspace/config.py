"""config.yaml: what belongs to the issuing body and the rules, not to one round.

Nothing here is hard-coded in templates or code: names, signers, the award catalogue with
money coefficients, the base-salary history, legal bases by date, the plan's standards and the
regional style choices all come from this file.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal, get_args

from docgen.errors import Problem
from docgen.i18n import N_, _
from docgen.vnformat import format_date_short

from .schema import LITERAL_ALIASES, doc, load_model

Rating = Literal["HTXSNV", "HTTNV", "HTNV", "KHTNV"]
#: Display strings of the four official levels (Nghị định 90/2020, 48/2023), best first.
RATING_NAMES: dict[str, str] = {
    "HTXSNV": "Hoàn thành xuất sắc nhiệm vụ",
    "HTTNV": "Hoàn thành tốt nhiệm vụ",
    "HTNV": "Hoàn thành nhiệm vụ",
    "KHTNV": "Không hoàn thành nhiệm vụ",
}
RATING_ORDER = list(RATING_NAMES)
LITERAL_ALIASES[Rating] = {name: code for code, name in RATING_NAMES.items()}

UnitKindId = Literal["office", "commune", "ward", "public_service"]


@dataclass(frozen=True)
class Signer:
    """A signature block: quyền hạn (TM./KT./Q./TL./TUQ.), chức vụ, họ tên."""

    title: str = doc(N_("chức vụ, in hoa: CHỦ TỊCH, PHÓ CHỦ TỊCH, TRƯỞNG PHÒNG"))
    name: str = doc(N_("họ và tên người ký"))
    authority: str = doc(N_("quyền hạn ký: 'TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH' hoặc trống"), "")


@dataclass(frozen=True)
class Body:
    """The body that decides the awards (cấp khen thưởng), e.g. UBND thành phố."""

    name: str = doc(N_("tên đầy đủ trong câu văn: 'Ủy ban nhân dân thành phố Cao Bằng'"))
    short_name: str = doc(N_("tên viết tắt trong câu văn: 'UBND thành phố Cao Bằng'"))
    header: list[str] = doc(N_("các dòng tên cơ quan ở góc trái, in hoa"))
    place: str = doc(N_("địa danh ở dòng ngày tháng: 'Cao Bằng'"))
    chair_title: str = doc(
        N_(
            "chức danh người có thẩm quyền khen thưởng, dùng ở 'Kính gửi': "
            "'Chủ tịch Ủy ban nhân dân thành phố Cao Bằng'"
        )
    )
    unit_parent: str = doc(
        N_(
            "dòng cơ quan chủ quản in trên văn bản của các phòng, đơn vị trực thuộc: "
            "'UBND THÀNH PHỐ CAO BẰNG'"
        )
    )
    parent: str = doc(N_("cơ quan chủ quản của cấp khen thưởng (nếu có)"), "")
    symbol: str = doc(N_("chữ viết tắt trong số ký hiệu: 'UBND' (…/QĐ-UBND, …/TTr-UBND)"), "UBND")
    until: date | None = doc(
        N_(
            "ngày cuối cùng cơ quan còn hoạt động (cấp huyện kết thúc ngày 30/6/2025); "
            "văn bản ký sau ngày này bị từ chối"
        ),
        None,
    )


@dataclass(frozen=True)
class Decisions:
    """How the authority issues reward decisions (Quyết định) and proposals to its superior."""

    signer: Signer = doc(N_("người ký quyết định khen thưởng (quyết định của Chủ tịch)"))
    proposal_signer: Signer = doc(N_("người ký tờ trình của cấp khen thưởng gửi cấp trên"))
    issuer_title: str = doc(
        N_(
            "thẩm quyền ban hành, in hoa dưới trích yếu: "
            "'CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ CAO BẰNG'"
        )
    )
    proposer: str = doc(N_("người đề nghị trong căn cứ cuối: 'Trưởng phòng Nội vụ thành phố'"))
    proposer_symbol: str = doc(N_("ký hiệu tờ trình của người đề nghị: 'TTr-PNV'"))
    executors: str = doc(N_("Điều 3: những người chịu trách nhiệm thi hành quyết định"))
    fund: str = doc(N_("nguồn kinh phí khen thưởng: 'Quỹ Thi đua, khen thưởng thành phố'"))
    recipients: list[str] = doc(N_("Nơi nhận của quyết định, mỗi dòng một nơi"))
    superior_title: str = doc(
        N_(
            "người nhận tờ trình đề nghị cấp trên khen thưởng: "
            "'Chủ tịch Ủy ban nhân dân tỉnh Cao Bằng'"
        )
    )
    superior_recipients: list[str] = doc(N_("Nơi nhận của tờ trình gửi cấp trên"))
    bases: list[LegalBasis] = doc(
        N_(
            "căn cứ về thẩm quyền, đứng trước các căn cứ thi đua, khen thưởng (Luật Tổ chức chính "
            "quyền địa phương …)"
        ),
        default_factory=list,
    )


@dataclass(frozen=True)
class Movement:
    """The emulation movement and the plan that launched it."""

    name: str = doc(N_("tên phong trào thi đua, viết như trong câu văn"))
    plan_number: str = doc(N_("số, ký hiệu kế hoạch phát động: '145/KH-UBND'"))
    plan_date: date = doc(N_("ngày ban hành kế hoạch"))
    plan_issuer: str = doc(N_("cơ quan ban hành kế hoạch: 'Ủy ban nhân dân thành phố Cao Bằng'"))
    plan_title: str = doc(N_("trích yếu của kế hoạch (sau 'về việc')"))


@dataclass(frozen=True)
class CoefficientStep:
    """The money coefficients of an award under the decree in force from a date."""

    since: date = doc(N_("áp dụng cho văn bản ký từ ngày"))
    individual: Decimal = doc(N_("hệ số × mức lương cơ sở cho cá nhân"))
    collective: Decimal = doc(N_("hệ số × mức lương cơ sở cho tập thể"))
    decree: str = doc(N_("văn bản quy định hệ số: 'Nghị định số 98/2023/NĐ-CP'"), "")
    unverified: bool = doc(
        N_("true: giá trị chưa đối chiếu văn bản gốc; docgen cảnh báo khi dùng"), False
    )


@dataclass(frozen=True)
class Voting:
    """When the council's vote carries a nomination, and how many members make a meeting."""

    approval: Decimal = doc(
        N_("tỷ lệ phiếu đồng ý cần có, từ 0 đến 1: 0.5 (một nửa), 0.8 (80%)"), Decimal("0.5")
    )
    at_least: bool = doc(
        N_("false: phải QUÁ tỷ lệ (mặc định: quá 1/2); true: đạt từ tỷ lệ đó trở lên (≥ 80%)"),
        False,
    )
    of: Literal["present", "all"] = doc(
        N_("tỷ lệ tính trên số thành viên có mặt (present) hay tổng số thành viên (all)"),
        "present",
    )
    quorum: Decimal = doc(
        N_(
            "số thành viên có mặt tối thiểu để cuộc họp hợp lệ, tỷ lệ trên tổng số thành viên "
            "(chưa kiểm chứng theo quy chế của Hội đồng; sửa theo quy chế)"
        ),
        Decimal("0.5"),
    )


@dataclass(frozen=True)
class Requirement:
    """An earlier award a proposal needs (e.g. a Giấy khen in each of the two years before)."""

    award: str = doc(N_("mã hình thức khen thưởng phải có trước (trong awards)"))
    years: int = doc(
        N_("số năm liền trước năm của đợt, mỗi năm phải có hình thức này (ví dụ 2)"), 1
    )


@dataclass(frozen=True)
class Award:
    """One form of award the movement proposes, with its money coefficients."""

    name: str = doc(N_("tên đầy đủ: 'Giấy khen của Chủ tịch Ủy ban nhân dân thành phố'"))
    short_name: str = doc(N_("tên ngắn dùng trong bảng: 'Giấy khen của Chủ tịch UBND thành phố'"))
    decided_by: str = doc(N_("người quyết định khen thưởng: 'Chủ tịch UBND thành phố'"))
    coefficients: list[CoefficientStep] = doc(
        N_("lịch sử hệ số tiền thưởng theo nghị định, xếp theo ngày tăng dần"),
        default_factory=list,
    )
    coefficient_individual: Decimal | None = doc(
        N_("hệ số cố định cho cá nhân (khi không khai báo coefficients)"), None
    )
    coefficient_collective: Decimal | None = doc(
        N_("hệ số cố định cho tập thể (khi không khai báo coefficients)"), None
    )
    by_authority: bool = doc(
        N_("true: cấp khen thưởng trong config (authority) tự quyết định; false: trình cấp trên"),
        True,
    )
    voting: Voting | None = doc(
        N_(
            "quy tắc biểu quyết riêng của hình thức này (NĐ 98/2023 Điều 30 k7: Chiến sĩ thi đua "
            "cơ sở ≥ 80% tổng số thành viên); trống thì theo voting chung"
        ),
        None,
    )
    kind: Literal["campaign", "merit"] = doc(
        N_(
            "campaign: khen thưởng theo đợt, chuyên đề thi đua; merit: khen thưởng công trạng "
            "(NĐ 152/2025 Điều 4 k3: khen thưởng chuyên đề không làm căn cứ khen công trạng)"
        ),
        "campaign",
    )
    requires: list[Requirement] = doc(
        N_("các hình thức phải được tặng trước (tra trong sổ khen thưởng), kèm số năm"),
        default_factory=list,
    )


@dataclass(frozen=True)
class SalaryStep:
    """Mức lương cơ sở in force from a date."""

    since: date = doc(N_("ngày có hiệu lực"))
    amount: int = doc(N_("mức lương cơ sở, đồng/tháng"))
    decree: str = doc(N_("văn bản quy định"), "")
    unverified: bool = doc(
        N_("true: giá trị chưa đối chiếu văn bản gốc; docgen cảnh báo khi dùng"), False
    )


@dataclass(frozen=True)
class LegalBasis:
    """A 'Căn cứ …' line cited by documents dated within [since, until]."""

    text: str = doc(N_("nội dung sau chữ 'Căn cứ', không có dấu câu cuối"))
    since: date | None = doc(N_("áp dụng cho văn bản ký từ ngày"), None)
    until: date | None = doc(N_("áp dụng cho văn bản ký đến hết ngày"), None)
    unverified: bool = doc(
        N_("true: giá trị chưa đối chiếu văn bản gốc; docgen cảnh báo khi dùng"), False
    )


@dataclass(frozen=True)
class ReportForm:
    """The Báo cáo thành tích form of one legal regime, for reports dated within [since, until].

    NĐ 91/2017 has "Mẫu số 07" (theo đợt thi đua hoặc theo chuyên đề); NĐ 98/2023 and NĐ
    152/2025 renumbered their forms and name one "thi đua theo chuyên đề". One template serves
    all: the words that differ come from here.
    """

    form: str = doc(
        N_("dòng ghi mẫu ở góc phải trên cùng: 'Mẫu số 07 - Nghị định số 91/2017/NĐ-CP'")
    )
    subtitle: str = doc(
        N_(
            "dòng dưới tiêu đề; {movement} là tên phong trào: "
            "'(Khen thưởng theo đợt thi đua: {movement})'"
        )
    )
    title: str = doc(N_("tiêu đề"), "BÁO CÁO THÀNH TÍCH")
    notes: list[str] = doc(N_("ghi chú cuối văn bản (chú thích của mẫu)"), default_factory=list)
    since: date | None = doc(N_("áp dụng cho báo cáo ký từ ngày"), None)
    until: date | None = doc(N_("áp dụng cho báo cáo ký đến hết ngày"), None)
    unverified: bool = doc(
        N_("true: giá trị chưa đối chiếu văn bản gốc; docgen cảnh báo khi dùng"), False
    )


def in_force(entry: LegalBasis | ReportForm, day: date) -> bool:
    """Whether a dated config entry (a legal basis, a report form) applies on `day`."""
    return (entry.since is None or entry.since <= day) and (
        entry.until is None or day <= entry.until
    )


@dataclass(frozen=True)
class Standards:
    """The plan's standards (section IV.2, IV.3, IV.5)."""

    collective_par_min: Decimal = doc(N_("Chỉ số CCHC tối thiểu mỗi năm (%)"), Decimal(90))
    period_average_min: Decimal = doc(
        N_("trung bình Chỉ số CCHC cả giai đoạn tối thiểu (%)"), Decimal(90)
    )
    individual_min_rating: Rating = doc(N_("xếp loại tối thiểu của cá nhân"), "HTTNV")
    period_every_year: bool = doc(
        N_("cá nhân phải đạt xếp loại tối thiểu mọi năm của giai đoạn"), True
    )
    period_years: Literal["before_dossier", "whole_period"] = doc(
        N_(
            "năm được tính của đợt tổng kết giai đoạn: before_dossier (mặc định) — chỉ các năm "
            "đã có kết quả trước năm lập hồ sơ (hồ sơ năm 2025: 2021-2024); whole_period — mọi "
            "năm của giai đoạn"
        ),
        "before_dossier",
    )
    period_quota_offices: int = doc(
        N_("số tập thể phòng, đơn vị tối đa được Giấy khen giai đoạn"), 3
    )
    period_quota_communes: int = doc(N_("số tập thể xã, phường tối đa được Giấy khen giai đoạn"), 3)
    annual_deadline_day: int = doc(N_("hạn nộp hồ sơ hằng năm: ngày"), 15)
    annual_deadline_month: int = doc(N_("hạn nộp hồ sơ hằng năm: tháng (của năm liền kề)"), 3)
    period_quarter: int = doc(N_("quý của năm cuối giai đoạn để xét khen thưởng giai đoạn"), 2)
    period_quota_award: str = doc(
        N_("hình thức khen thưởng giai đoạn có chỉ tiêu số tập thể (mục IV.3.2)"), "giay_khen_tp"
    )


@dataclass(frozen=True)
class Style:
    """Regional and house style choices (the domain notes call them regional)."""

    zero_tens: Literal["linh", "lẻ"] = doc(
        N_("đọc số 105: 'một trăm linh năm' hay 'lẻ năm'"), "linh"
    )
    thousand: Literal["nghìn", "ngàn"] = doc(N_("'nghìn' (miền Bắc, văn bản) hay 'ngàn'"), "nghìn")
    four: Literal["bốn", "tư"] = doc(N_("đọc số 24: 'hai mươi bốn' hay 'hai mươi tư'"), "bốn")
    money_even_suffix: bool = doc(N_("thêm 'chẵn' sau 'đồng' khi viết tiền bằng chữ"), False)
    rounding: Literal["ceil_10000", "nearest_10000", "none"] = doc(
        N_("làm tròn tiền thưởng: lên hàng chục nghìn, gần nhất, hoặc không"), "ceil_10000"
    )
    name_sort: Literal["input", "given_name"] = doc(
        N_("thứ tự cá nhân trong danh sách: như dữ liệu, hoặc theo tên (ABC tiếng Việt)"), "input"
    )


@dataclass(frozen=True)
class UnitKind:
    """Defaults for one kind of unit: how it signs and which quota group it falls in."""

    label: str = doc(N_("tên loại đơn vị: 'phòng chuyên môn', 'phường'"))
    group: Literal["office", "commune"] = doc(N_("nhóm chỉ tiêu: phòng/đơn vị hay xã/phường"))
    has_parent: bool = doc(N_("in dòng cơ quan chủ quản (unit_parent) ở góc trái"), True)
    signer_authority: str = doc(N_("quyền hạn ký mặc định: 'TM. ỦY BAN NHÂN DÂN' hoặc trống"), "")
    signer_title: str = doc(N_("chức vụ ký mặc định, in hoa; trống thì lấy chức vụ thủ trưởng"), "")
    council: str = doc(
        N_("tên Hội đồng thi đua mặc định, {name} là tên đơn vị"),
        "Hội đồng Thi đua - Khen thưởng {name}",
    )


@dataclass(frozen=True)
class Register:
    """The award register (sổ khen thưởng): where it is and how the số sổ vàng is numbered."""

    path: str = doc(
        N_("tệp cơ sở dữ liệu SQLite của sổ khen thưởng, tính từ thư mục của config.yaml"),
        "so-khen-thuong.sqlite",
    )
    book_number: str = doc(
        N_(
            "mẫu số sổ vàng: {number} (số thứ tự), {year} (năm quyết định), {symbol} "
            "(ký hiệu cơ quan): '{number}/{year}'"
        ),
        "{number}/{year}",
    )
    book_digits: int = doc(N_("số chữ số tối thiểu của số thứ tự (3: 001, 002, …)"), 3)
    book_restart: Literal["yearly", "never"] = doc(
        N_("yearly: số thứ tự chạy lại từ 1 mỗi năm của mỗi cơ quan; never: chạy liên tục"),
        "yearly",
    )


#: What a Giấy khen prints that varies, each a field a blank profile can place.
BlankFieldId = Literal[
    "decider",
    "name",
    "unit",
    "achievement",
    "decision",
    "book_number",
    "place_date",
    "signer_title",
    "signer_name",
]


@dataclass(frozen=True)
class BlankField:
    """Where one field of a Giấy khen is printed on a pre-printed blank, and in what type."""

    x: Decimal = doc(N_("mm từ mép trái tờ giấy đến mép trái ô"))
    y: Decimal = doc(N_("mm từ mép trên tờ giấy đến mép trên ô"))
    width: Decimal = doc(N_("chiều rộng ô, mm"))
    height: Decimal = doc(N_("chiều cao ô, mm (chữ vượt quá bị cắt)"))
    font: str = doc(N_("phông chữ"), "Times New Roman")
    size: Decimal = doc(N_("cỡ chữ, pt"), Decimal(14))
    bold: bool = doc(N_("chữ đậm"), False)
    italic: bool = doc(N_("chữ nghiêng"), False)
    align: Literal["left", "center", "right"] = doc(N_("căn lề trong ô"), "center")
    color: str = doc(N_("màu chữ RRGGBB: '000000' (đen), 'C00000' (đỏ)"), "000000")


@dataclass(frozen=True)
class BlankProfile:
    """An office's pre-printed Giấy khen blank (phôi): paper size and where each field goes."""

    fields: dict[BlankFieldId, BlankField] = doc(
        N_("vị trí, phông, cỡ chữ của từng trường; trường không ghi thì không in")
    )
    width: Decimal = doc(N_("chiều rộng tờ phôi, mm"), Decimal(297))
    height: Decimal = doc(N_("chiều cao tờ phôi, mm"), Decimal(210))


@dataclass(frozen=True)
class Certificate:
    """Giấy khen certificates (docgen certificate): the Quốc huy image and blank profiles."""

    emblem: str = doc(
        N_(
            "ảnh Quốc huy (PNG hoặc JPEG) in ở giữa phía trên, tính từ thư mục của config.yaml; "
            "trống: để trống chỗ đó"
        ),
        "",
    )
    blanks: dict[str, BlankProfile] = doc(
        N_("các mẫu phôi in sẵn, theo tên (docgen certificate --blank TÊN)"), default_factory=dict
    )


@dataclass(frozen=True)
class Config:
    """The whole config.yaml."""

    authority: Body = doc(N_("cấp khen thưởng (nhận tờ trình, ra quyết định)"))
    movement: Movement = doc(N_("phong trào thi đua và kế hoạch phát động"))
    awards: dict[str, Award] = doc(N_("danh mục hình thức khen thưởng, theo mã"))
    base_salary: list[SalaryStep] = doc(N_("lịch sử mức lương cơ sở"))
    legal_bases: list[LegalBasis] = doc(N_("các căn cứ pháp lý theo thời gian"))
    unit_kinds: dict[UnitKindId, UnitKind] = doc(N_("mặc định cho từng loại đơn vị"))
    decisions: Decisions | None = doc(N_("quyết định khen thưởng và tờ trình lên cấp trên"), None)
    report_forms: list[ReportForm] = doc(
        N_("mẫu Báo cáo thành tích theo thời gian (theo nghị định có hiệu lực ngày báo cáo)"),
        default_factory=list,
    )
    standards: Standards = doc(N_("tiêu chuẩn của kế hoạch"), default_factory=Standards)
    voting: Voting = doc(
        N_("biểu quyết của Hội đồng: mặc định quá 1/2 số thành viên có mặt"),
        default_factory=Voting,
    )
    style: Style = doc(N_("lựa chọn văn phong"), default_factory=Style)
    register: Register = doc(
        N_("sổ khen thưởng (SQLite): đường dẫn, cách đánh số sổ vàng"), default_factory=Register
    )
    certificate: Certificate = doc(
        N_("Giấy khen: ảnh Quốc huy, các mẫu phôi in sẵn"), default_factory=Certificate
    )
    note: str = doc(N_("ghi chú tự do"), "")


def load_config(path: Path) -> Config:
    """Load and validate config.yaml; every problem is reported at once."""
    return load_model(path, Config, _check)


#: Fields a `register.book_number` text may name.
BOOK_FIELDS = ("number", "year", "symbol")

#: Fields a `unit_kinds.*.council` text may name, e.g. "Hội đồng Thi đua - Khen thưởng {name}".
COUNCIL_FIELDS = ("name",)
_FIELD = re.compile(r"\{([^{}]*)\}")


def council_fields(template: str) -> list[str]:
    """The {fields} a council text names that docgen does not know (empty: the text is safe)."""
    return [f for f in _FIELD.findall(template) if f not in COUNCIL_FIELDS]


def fill_council(template: str, name: str) -> str:
    """Substitute only the known fields; never Python's str.format (no attribute access)."""
    values = {"name": name}
    return _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def _check(config: Config, make: Callable[..., Problem]) -> list[Problem]:
    """Rules a type cannot express: ordered dated histories, real dates, sane thresholds."""
    out: list[Problem] = []
    dates = [s.since for s in config.base_salary]
    if not dates:
        out.append(make(("base_salary",), _("cần ít nhất một mức lương cơ sở")))
    if dates != sorted(dates):
        out.append(make(("base_salary",), _("các mức lương cơ sở phải xếp theo ngày tăng dần")))
    for i, step in enumerate(config.base_salary):
        if step.amount <= 0:
            out.append(make(("base_salary", i, "amount"), _("mức lương cơ sở phải lớn hơn 0")))
        if i and step.since in dates[:i]:
            out.append(
                make(
                    ("base_salary", i, "since"),
                    _("hai mức lương cơ sở cùng có hiệu lực từ ngày {date}").format(
                        date=format_date_short(step.since)
                    ),
                )
            )
    if not config.legal_bases:
        out.append(make(("legal_bases",), _("cần ít nhất một căn cứ pháp lý")))
    bases: list[tuple[tuple[str | int, ...], LegalBasis | ReportForm]] = [
        (("legal_bases", i), b) for i, b in enumerate(config.legal_bases)
    ]
    if config.decisions is not None:
        bases += [(("decisions", "bases", i), b) for i, b in enumerate(config.decisions.bases)]
    bases += [(("report_forms", i), f) for i, f in enumerate(config.report_forms)]
    for where, basis in bases:
        if basis.since and basis.until and basis.since > basis.until:
            out.append(
                make(
                    (*where, "until"),
                    _("ngày kết thúc {until} trước ngày bắt đầu {since}").format(
                        until=format_date_short(basis.until), since=format_date_short(basis.since)
                    ),
                )
            )
    for i, form in enumerate(config.report_forms):
        unknown = [f for f in _FIELD.findall(form.subtitle) if f != "movement"]
        if unknown:
            out.append(
                make(
                    ("report_forms", i, "subtitle"),
                    _("chỉ dùng được {{movement}} trong dòng này, không có {{{field}}}").format(
                        field=unknown[0]
                    ),
                )
            )
    std = config.standards
    for key in ("collective_par_min", "period_average_min"):
        value = getattr(std, key)
        if not Decimal(0) <= value <= Decimal(100):
            message = _("phải nằm trong khoảng 0–100, nhận được {value}").format(value=value)
            out.append(make(("standards", key), message))
    if not 1 <= std.annual_deadline_month <= 12:
        out.append(
            make(
                ("standards", "annual_deadline_month"),
                _("tháng phải từ 1 đến 12, nhận được {value}").format(
                    value=std.annual_deadline_month
                ),
            )
        )
    elif not 1 <= std.annual_deadline_day <= _days_in_month(std.annual_deadline_month):
        out.append(
            make(
                ("standards", "annual_deadline_day"),
                _("không có ngày {day}/{month} (tháng {month} có {days} ngày)").format(
                    day=std.annual_deadline_day,
                    month=std.annual_deadline_month,
                    days=_days_in_month(std.annual_deadline_month),
                ),
            )
        )
    if not 1 <= std.period_quarter <= 4:
        out.append(
            make(
                ("standards", "period_quarter"),
                _("quý phải từ 1 đến 4, nhận được {value}").format(value=std.period_quarter),
            )
        )
    if std.period_quota_award not in config.awards:
        out.append(
            make(
                ("standards", "period_quota_award"),
                _("không có hình thức khen thưởng '{award}' trong awards").format(
                    award=std.period_quota_award
                ),
            )
        )
    for award_id, award in config.awards.items():
        out += _check_award(award_id, award, make)
    votings = [(("voting",), config.voting)] + [
        (("awards", a, "voting"), w.voting) for a, w in config.awards.items() if w.voting
    ]
    for where, voting in votings:
        for key in ("approval", "quorum"):
            if not Decimal(0) <= getattr(voting, key) <= Decimal(1):
                out.append(
                    make(
                        (*where, key),
                        _("tỷ lệ phải từ 0 đến 1, nhận được {value}").format(
                            value=getattr(voting, key)
                        ),
                    )
                )
    out += _check_register(config, make)
    out += _check_certificate(config.certificate, make)
    for kind_id, kind in config.unit_kinds.items():
        unknown = council_fields(kind.council)
        if unknown:
            out.append(
                make(
                    ("unit_kinds", kind_id, "council"),
                    _("trường không hợp lệ {fields}; chỉ được dùng {known}").format(
                        fields=", ".join("{" + f + "}" for f in unknown),
                        known=", ".join("{" + f + "}" for f in COUNCIL_FIELDS),
                    ),
                )
            )
    return out


def _check_register(config: Config, make: Callable[..., Problem]) -> list[Problem]:
    """A usable register path, a book number naming only known fields and the number itself,
    requirements naming known awards."""
    out: list[Problem] = []
    reg = config.register
    if not reg.path.strip():
        out.append(make(("register", "path"), _("cần tên tệp của sổ khen thưởng")))
    fields = _FIELD.findall(reg.book_number)
    unknown = [f for f in fields if f not in BOOK_FIELDS]
    if unknown:
        out.append(
            make(
                ("register", "book_number"),
                _("trường không hợp lệ {fields}; chỉ được dùng {known}").format(
                    fields=", ".join("{" + f + "}" for f in unknown),
                    known=", ".join("{" + f + "}" for f in BOOK_FIELDS),
                ),
            )
        )
    elif "number" not in fields:
        out.append(
            make(
                ("register", "book_number"),
                _("mẫu số sổ vàng phải có {number} (số thứ tự), nếu không mọi số đều trùng nhau"),
            )
        )
    if not 0 <= reg.book_digits <= 9:
        out.append(
            make(
                ("register", "book_digits"),
                _("số chữ số phải từ 0 đến 9, nhận được {value}").format(value=reg.book_digits),
            )
        )
    for award_id, award in config.awards.items():
        for i, req in enumerate(award.requires):
            where = ("awards", award_id, "requires", i)
            if req.award not in config.awards:
                out.append(
                    make(
                        (*where, "award"),
                        _("không có hình thức khen thưởng '{award}' trong awards").format(
                            award=req.award
                        ),
                    )
                )
            if not 1 <= req.years <= 10:
                out.append(
                    make(
                        (*where, "years"),
                        _("số năm phải từ 1 đến 10, nhận được {value}").format(value=req.years),
                    )
                )
    return out


def _check_certificate(cert: Certificate, make: Callable[..., Problem]) -> list[Problem]:
    """Every field of every blank profile inside its paper, with a real size and font."""
    out: list[Problem] = []
    for name, profile in cert.blanks.items():
        where = ("certificate", "blanks", name)
        for key in ("width", "height"):
            if not Decimal(50) <= getattr(profile, key) <= Decimal(1000):
                out.append(
                    make(
                        (*where, key),
                        _("khổ giấy phải từ 50 đến 1000 mm, nhận được {value}").format(
                            value=getattr(profile, key)
                        ),
                    )
                )
        if not profile.fields:
            out.append(make((*where, "fields"), _("cần ít nhất một trường để in")))
        known = get_args(BlankFieldId)
        for field_id, f in profile.fields.items():
            at = (*where, "fields", field_id)
            if field_id not in known:
                out.append(
                    make(
                        at,
                        _("không có trường '{field}'; các trường: {known}").format(
                            field=field_id, known=", ".join(known)
                        ),
                    )
                )
                continue
            for key in ("width", "height"):
                if getattr(f, key) <= 0:
                    out.append(make((*at, key), _("phải lớn hơn 0 mm")))
            for key, start, length, paper in (
                ("x", f.x, f.width, profile.width),
                ("y", f.y, f.height, profile.height),
            ):
                if start < 0 or start + length > paper:
                    out.append(
                        make(
                            (*at, key),
                            _("ô từ {start} đến {end} mm ra ngoài khổ phôi {paper} mm").format(
                                start=start, end=start + length, paper=paper
                            ),
                        )
                    )
            if not Decimal(4) <= f.size <= Decimal(96):
                out.append(
                    make(
                        (*at, "size"),
                        _("cỡ chữ phải từ 4 đến 96 pt, nhận được {value}").format(value=f.size),
                    )
                )
            if not re.fullmatch(r"[0-9A-Fa-f]{6}", f.color):
                out.append(
                    make(
                        (*at, "color"),
                        _("màu phải gồm 6 chữ số hệ 16 (RRGGBB), nhận được '{value}'").format(
                            value=f.color
                        ),
                    )
                )
            if not f.font.strip() or any(c in f.font for c in '<>&"\n'):
                out.append(make((*at, "font"), _("cần tên phông chữ hợp lệ")))
    return out


def fill_book_number(template: str, values: dict[str, str]) -> str:
    """The số sổ vàng from its pattern; only the known fields are substituted."""
    return _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def _days_in_month(month: int) -> int:
    """Days of a month in a common year: a yearly deadline of 29/02 would not exist most years."""
    return calendar.monthrange(2001, month)[1]


def _check_award(award_id: str, award: Award, make: Callable[..., Problem]) -> list[Problem]:
    """Either a dated coefficient history or a fixed pair; never negative, never two per date."""
    out: list[Problem] = []
    fixed = (award.coefficient_individual, award.coefficient_collective)
    if not award.coefficients and None in fixed:
        out.append(
            make(
                ("awards", award_id, "coefficients"),
                _(
                    "cần lịch sử hệ số (coefficients) hoặc cả hai hệ số "
                    "coefficient_individual và coefficient_collective"
                ),
            )
        )
    for key in ("coefficient_individual", "coefficient_collective"):
        value = getattr(award, key)
        if value is not None and value < 0:
            out.append(make(("awards", award_id, key), _("hệ số không được âm")))
    seen: list[date] = []
    for i, step in enumerate(award.coefficients):
        where = ("awards", award_id, "coefficients", i)
        for key in ("individual", "collective"):
            if getattr(step, key) < 0:
                out.append(make((*where, key), _("hệ số không được âm")))
        if step.since in seen:
            out.append(
                make(
                    (*where, "since"),
                    _("hai mức hệ số cùng có hiệu lực từ ngày {date}").format(
                        date=format_date_short(step.since)
                    ),
                )
            )
        elif seen and step.since < seen[-1]:
            out.append(make((*where, "since"), _("các mức hệ số phải xếp theo ngày tăng dần")))
        seen.append(step.since)
    return out
