"""Write the .docx templates in templates/ from code, so their layout can be reviewed.

    python -m docgen.build_templates [TEMPLATES_DIR]

The committed templates must equal what this module writes (a test checks it byte for
byte). Users may still edit a copy in Word: docgen renders whatever template it is given.
Layout follows Nghị định 30/2020/NĐ-CP, Phụ lục I (see docgen.docxlayout).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from docx.document import Document
from docx.table import Table

from docgen.layout.measure import HEADER_INDENT_CM, LANDSCAPE_TEXT_CM, PORTRAIT_TEXT_CM
from docgen.layout.primitives import (
    ITALIC_RULE_GAP_PT,
    Align,
    Run,
    add_row,
    borderless_table,
    gap,
    grid_table,
    keep_with_next,
    new_document,
    para,
    rule,
    save,
    spacer,
)

#: Header columns as the builder assumes them (each document sets its own widths).
LEFT_CM = 6.4
#: Signature block columns: Nơi nhận | signer.
SIGN_LEFT_CM, SIGN_RIGHT_CM = 7.0, 9.5
BODY_INDENT_CM = 1.0
SUMMARY_RULE_CM = 4.0
#: Blank lines left for the signature and seal (about 3 cm).
SIGNATURE_LINES = 4


def body(doc: Document, *parts: str | Run, **kw: object) -> None:
    """A body paragraph: justified, first line indented, 6 pt before (ND30 §1.1)."""
    options: dict[str, object] = {
        "first_indent_cm": BODY_INDENT_CM,
        "space_before": 6,
        "line_spacing": 1.15,
    }
    options.update(kw)
    para(doc, *parts, **options)  # type: ignore[arg-type]


def tag(container: object, text: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag ({%p …%}); docxtpl removes it."""
    para(container, text, align="left")  # type: ignore[arg-type]


def header(doc: Document, *, number: bool, date: bool, landscape: bool = False) -> None:
    """The two-column header: row 1 the bodies, row 2 Số (left) and the date line (right).

    Two rows keep "Số: …" level with the date line whatever the names' lengths (an annex
    with neither has one row, so no empty lines push its list down). The column
    widths and the issuing body's rule are the document's own (``header.left_twips`` …,
    made by docgen.layout.measure.header_context) so that no name line wraps; the table
    reaches HEADER_INDENT_CM into the left margin, as in the official sample.
    """
    wide = "wide_" if landscape else ""
    text_cm = LANDSCAPE_TEXT_CM if landscape else PORTRAIT_TEXT_CM
    right_cm = text_cm - HEADER_INDENT_CM - LEFT_CM
    table = borderless_table(
        doc,
        [LEFT_CM, right_cm],
        rows=2 if number or date else 1,
        indent_cm=HEADER_INDENT_CM,
        width_exprs=[f"header.{wide}left_twips", f"header.{wide}right_twips"],
    )
    left, right = table.rows[0].cells
    tag(left, "{%p for line in header.parent %}")
    # 12 pt (ND30 allows 12-13) so "UBND THÀNH PHỐ CAO BẰNG" stays on one line.
    para(left, "{{ line }}", align="center", size=12)
    tag(left, "{%p endfor %}")
    tag(left, "{%p for line in header.lines %}")
    para(left, "{{ line }}", align="center", size=13, bold=True)
    tag(left, "{%p endfor %}")
    rule(left, indent_twips_expr=f"header.{wide}rule_indent", width_cm=LEFT_CM)
    para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="center", size=13, bold=True)
    para(right, "Độc lập - Tự do - Hạnh phúc", align="center", size=14, bold=True)
    rule(right, indent_twips_expr=f"header.{wide}motto_rule_indent", width_cm=right_cm)
    if not (number or date):
        return
    left2, right2 = table.rows[1].cells
    para(left2, "{{ header.number }}" if number else "", align="center", size=13, space_before=6)
    para(
        right2,
        Run("{{ header.place_date }}" if date else ""),
        align="center",
        size=14,
        italic=True,
        space_before=6,
    )


def title(doc: Document, name: str, *lines: str | Run, rule_after: bool = True) -> None:
    """Document type (bold capitals) and its summary lines, centred, with the short rule."""
    para(doc, name, align="center", size=14, bold=True, space_before=18, keep_with_next=True)
    for line in lines:
        para(doc, line, align="center", size=14, bold=True, keep_with_next=True)
    if rule_after:
        rule(doc, length_cm=SUMMARY_RULE_CM, width_cm=16.5, space_after=6)


def group_label(doc: Document, text: str) -> None:
    """'I. TẬP THỂ' over its table: bold, 6 pt above, 3 pt clear of the table (issue 13.5)."""
    para(doc, text, align="left", bold=True, space_before=6, space_after=3, keep_with_next=True)


def loop_rows(
    table: Table,
    loop: str,
    cells: Sequence[str | Run | Sequence[str | Run]],
    aligns: Sequence[Align],
    *,
    keep_last: str = "",
) -> None:
    """The rows of a docxtpl row loop (``{%tr for LOOP %}``, one data row, ``{%tr endfor %}``).

    The header row keeps with the first data row. ``keep_last`` (a Jinja condition, e.g.
    ``loop.last``) keeps the row it holds for with what follows the table: the last row
    goes over with the total and signature, never those alone; the rest of the table
    breaks where the page ends (issue 13.2).
    """
    add_row(table, [f"{{%tr for {loop} %}}"])
    add_row(table, cells, aligns=aligns)
    add_row(table, ["{%tr endfor %}"])
    keep_with_next(table, [0])
    if keep_last:
        keep_with_next(table, [2], when=f"({keep_last})|int")


def italic_rule(doc: Document, *, width_cm: float) -> None:
    """The title's rule under an italic "(Kèm theo …)" line, clear of its descenders."""
    gap = ITALIC_RULE_GAP_PT
    rule(doc, length_cm=SUMMARY_RULE_CM, width_cm=width_cm, space_after=6, gap_pt=gap)


def heading(doc: Document, text: str) -> None:
    """A report-style section heading (I., II.): bold, at the body indent."""
    para(doc, text, bold=True, first_indent_cm=BODY_INDENT_CM, space_before=6, keep_with_next=True)


def signature(
    doc: Document,
    *,
    recipients: bool = True,
    left_cm: float = SIGN_LEFT_CM,
    right_cm: float = SIGN_RIGHT_CM,
    left_text: str = "",
) -> None:
    """Nơi nhận (left, 12/11 pt) and quyền hạn, chức vụ, họ tên (right, bold 14).

    Without recipients the left cell holds ``left_text`` (bold, level with the signer's
    first line): the Danh sách's total, which then takes no line of its own.
    """
    table = borderless_table(doc, [left_cm, right_cm])
    left, right = table.rows[0].cells
    if recipients:
        para(left, "Nơi nhận:", align="left", size=12, bold=True, italic=True, space_before=12)
        tag(left, "{%p for line in recipients %}")
        para(left, "{{ line }}", align="left", size=11, left_indent_cm=0.25, first_indent_cm=-0.25)
        tag(left, "{%p endfor %}")
    else:
        para(left, Run(left_text, bold=True), align="left", space_before=12)
    # 12 pt above the signer's first line, whether it is the quyền hạn or the title
    gap(right, 12)
    tag(right, "{%p if signer.authority %}")
    para(right, "{{ signer.authority }}", align="center", bold=True)
    tag(right, "{%p endif %}")
    para(right, "{{ signer.title }}", align="center", bold=True)
    for _ in range(SIGNATURE_LINES):
        para(right, "", align="center")
    para(right, "{{ signer.name }}", align="center", bold=True)


# ------------------------------------------------------------------------------- documents


def proposal() -> Document:
    """Tờ trình đề nghị khen thưởng (ND30 Mẫu 1.4 with 'Kính gửi')."""
    doc = new_document()
    header(doc, number=True, date=True)
    title(doc, "TỜ TRÌNH", "{{ summary }}")
    para(doc, "Kính gửi: {{ recipient }}.", align="center", space_before=6, space_after=6)
    tag(doc, "{%p for line in bases %}")
    body(doc, "{{ line }}")
    tag(doc, "{%p endfor %}")
    body(
        doc,
        "{{ unit.name }} kính trình {{ recipient }} {{ request }} cho {{ count_text }} "
        "có thành tích xuất sắc trong {{ movement.full }}, cụ thể như sau:",
    )
    tag(doc, "{%p for g in groups %}")
    body(doc, Run("{{ g.index }}. {{ g.award.name }}: {{ g.count_text }}", bold=True))
    tag(doc, "{%p for line in g.lines %}")
    body(doc, "{{ line }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    body(
        doc,
        "Tổng số tiền thưởng dự kiến: {{ money_total_text }} (Bằng chữ: {{ money_words }}), "
        "tính theo mức lương cơ sở {{ base_salary_text }}/tháng{{ money_tail }}",
    )
    tag(doc, "{%p for line in money_lines %}")
    body(doc, "{{ line }}")
    tag(doc, "{%p endfor %}")
    body(doc, Run("(Có danh sách, biên bản họp xét và báo cáo thành tích kèm theo).", italic=True))
    body(doc, "Kính trình {{ recipient }} {{ closing }}./.", keep_with_next=True)
    signature(doc)
    return doc


def minutes() -> Document:
    """Biên bản họp xét of the unit's emulation council (ND30 Mẫu 1.9)."""
    doc = new_document()
    header(doc, number=True, date=False)
    title(doc, "BIÊN BẢN", "{{ summary }}")
    body(
        doc,
        "Hôm nay, vào hồi {{ meeting.start_text }}, {{ meeting.date_text }}, tại "
        "{{ meeting.place }}, {{ council }} tổ chức họp xét, đề nghị khen thưởng tập thể, "
        "cá nhân có thành tích xuất sắc trong {{ movement.full }}.",
    )
    heading(doc, "I. THÀNH PHẦN THAM DỰ")
    body(
        doc,
        "Hội đồng có {{ meeting.total }} thành viên; có mặt {{ meeting.present }} thành viên, "
        "{% if meeting.absent %}vắng mặt {{ meeting.absent }} thành viên"
        "{% else %}không có thành viên vắng mặt{% endif %}. Cụ thể:",
    )
    tag(doc, "{%p for m in meeting.members %}")
    body(doc, "{{ m.line }}")
    tag(doc, "{%p endfor %}")
    body(
        doc,
        "- Chủ trì: Đồng chí {{ meeting.chair.name }}, {{ meeting.chair.position }}, "
        "{{ meeting.chair.role }}.",
    )
    body(
        doc,
        "- Thư ký: Đồng chí {{ meeting.secretary.name }}, {{ meeting.secretary.position }}, "
        "{{ meeting.secretary.role }}.",
    )
    heading(doc, "II. NỘI DUNG CUỘC HỌP")
    body(
        doc,
        "1. Đồng chí {{ meeting.chair.name }} quán triệt mục đích, yêu cầu và thông qua tiêu "
        "chuẩn khen thưởng theo {{ movement.plan }}.",
    )
    body(
        doc,
        "2. Đồng chí {{ meeting.secretary.name }}, thư ký, báo cáo hồ sơ đề nghị khen thưởng "
        "của {{ considered_text }}.",
    )
    body(
        doc,
        "3. Hội đồng thảo luận, đánh giá thành tích của từng tập thể, cá nhân và biểu quyết. "
        "Kết quả biểu quyết như sau:",
        keep_with_next=True,
    )
    # the cells say "100%", so the column's title has no "(%)" (issue 13.5)
    table = grid_table(
        doc,
        [0.9, 7.3, 4.6, 2.0, 1.7],
        ["TT", "Tập thể, cá nhân", "Hình thức khen thưởng", "Số phiếu đồng ý", "Tỷ lệ"],
    )
    loop_rows(
        table,
        "e in considered",
        [
            "{{ loop.index }}",
            "{{ e.description_cell }}",
            "{{ e.award.short_name }}",
            "{{ e.votes_text }}",
            "{{ e.percent_text }}",
        ],
        ["center", "left", "left", "center", "center"],
    )
    heading(doc, "III. KẾT LUẬN")
    body(
        doc,
        "Căn cứ kết quả biểu quyết, Hội đồng thống nhất đề nghị {{ recipient }} xem xét, "
        "khen thưởng cho {{ count_text }} (có danh sách kèm theo).",
    )
    body(
        doc,
        "Cuộc họp kết thúc vào hồi {{ meeting.end_text }} cùng ngày. Biên bản đã được thông qua "
        "trước Hội đồng và các thành viên dự họp nhất trí./.",
        keep_with_next=True,
    )
    table = borderless_table(doc, [8.25, 8.25])
    left, right = table.rows[0].cells
    para(left, "THƯ KÝ", align="center", bold=True, space_before=12)
    para(right, "CHỦ TỌA", align="center", bold=True, space_before=12)
    for cell in (left, right):
        for _ in range(SIGNATURE_LINES):
            para(cell, "", align="center")
    para(left, "{{ meeting.secretary.name }}", align="center", bold=True)
    para(right, "{{ meeting.chair.name }}", align="center", bold=True)
    para(doc, "Nơi nhận:", align="left", size=12, bold=True, italic=True, space_before=12)
    tag(doc, "{%p for line in recipients %}")
    para(doc, "{{ line }}", align="left", size=11)
    tag(doc, "{%p endfor %}")
    return doc


def nominee_list() -> Document:
    """Danh sách tập thể, cá nhân đề nghị khen thưởng (landscape annex of the Tờ trình)."""
    doc = new_document(landscape=True)
    header(doc, number=False, date=False, landscape=True)
    title(doc, "DANH SÁCH", "{{ summary }}", rule_after=False)
    para(doc, Run("{{ attached }}", italic=True), align="center", keep_with_next=True)
    italic_rule(doc, width_cm=25.7)
    tag(doc, "{%p if collectives %}")
    group_label(doc, "{{ collectives_label }}")
    table = grid_table(
        doc,
        [1.0, 11.3, 8.4, 5.0],
        ["TT", "Tên tập thể", "Hình thức khen thưởng", "Ghi chú"],
    )
    loop_rows(
        table,
        "e in collectives",
        ["{{ e.index }}", "{{ e.name }}", "{{ e.award.short_name }}", ""],
        ["center", "left", "left", "left"],
        keep_last="loop.last and not individuals",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if individuals %}")
    group_label(doc, "{{ individuals_label }}")
    # widths from the content: positions with their unit (up to ~9 cm) on one line where
    # they can be, the award on two lines at "Chủ tịch / UBND thành phố" (issue 13.5)
    table = grid_table(
        doc,
        [1.0, 4.4, 1.5, 1.6, 1.6, 9.2, 4.8, 1.6],
        [
            "TT",
            "Họ và tên",
            "Năm sinh",
            "Giới tính",
            "Dân tộc",
            "Chức vụ, đơn vị công tác",
            "Hình thức khen thưởng",
            "Ghi chú",
        ],
    )
    loop_rows(
        table,
        "e in individuals",
        [
            "{{ e.index }}",
            "{{ e.name }}",
            "{{ e.birth_year }}",
            "{{ e.gender }}",
            "{{ e.ethnicity }}",
            "{{ e.position_cell }}",
            "{{ e.award.short_name }}",
            "",
        ],
        ["center", "left", "center", "center", "center", "left", "left", "left"],
        keep_last="loop.last",
    )
    tag(doc, "{%p endif %}")
    # the total sits beside the signature, which keeps with the last row of the list; the
    # spacer keeps the signature table from merging with the list's (the tags go away)
    spacer(doc)
    signature(doc, recipients=False, left_cm=12.0, right_cm=13.7, left_text="{{ total_text }}")
    return doc


def report() -> Document:
    """Báo cáo thành tích, collective or individual; the form's words come from config
    (report_forms: NĐ 91/2017 Mẫu số 07, the NĐ 98/2023 and NĐ 152/2025 campaign form)."""
    doc = new_document()
    tag(doc, "{%p if form %}")
    para(doc, Run("{{ form }}", italic=True), align="right", size=12, space_after=3)
    tag(doc, "{%p endif %}")
    header(doc, number=False, date=True)
    title(doc, "{{ report_title }}", "{{ title_award }}", rule_after=False)
    para(doc, Run("{{ subtitle }}", italic=True), align="center", keep_with_next=True)
    italic_rule(doc, width_cm=16.5)
    tag(doc, "{%p if nominee.collective %}")
    body(doc, Run("Tên tập thể: ", bold=True), "{{ nominee.name }}")
    body(doc, Run("Thủ trưởng đơn vị: ", bold=True), "{{ nominee.head }}")
    tag(doc, "{%p else %}")
    body(doc, Run("Họ và tên: ", bold=True), "{{ nominee.name }}")
    body(
        doc,
        Run("Giới tính: ", bold=True),
        "{{ nominee.gender }}; ",
        Run("Năm sinh: ", bold=True),
        "{{ nominee.birth_year }}",
        "{% if nominee.ethnicity %}; ",
        Run("Dân tộc: ", bold=True),
        "{{ nominee.ethnicity }}{% endif %}",
    )
    body(doc, Run("Chức vụ, đơn vị công tác: ", bold=True), "{{ nominee.position_unit }}")
    tag(doc, "{%p endif %}")
    heading(doc, "I. THÀNH TÍCH ĐẠT ĐƯỢC")
    tag(doc, "{%p for line in nominee.achievements %}")
    body(doc, "{{ line }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if nominee.initiatives %}")
    body(doc, "Sáng kiến, cách làm mới được công nhận:")
    tag(doc, "{%p for line in nominee.initiatives %}")
    body(doc, "- {{ line }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    heading(doc, "II. KẾT QUẢ ĐÁNH GIÁ TRONG {{ round.label|upper }}")
    # the table starts under the heading's text, and reaches the right margin
    table = grid_table(
        doc,
        [3.0, PORTRAIT_TEXT_CM - BODY_INDENT_CM - 3.0],
        ["Năm", "{{ results_title }}"],
        indent_cm=BODY_INDENT_CM,
    )
    loop_rows(
        table,
        "r in nominee.results",
        ["{{ r.year }}", "{{ r.value }}"],
        ["center", "center"],
        keep_last="loop.last",
    )
    spacer(doc)  # the section III tags vanish when it is empty: the tables must not touch
    tag(doc, "{%p if nominee.earlier_awards %}")
    heading(doc, "III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC TẶNG")
    tag(doc, "{%p for line in nominee.earlier_awards %}")
    body(doc, "- {{ line }}", keep_with_next=True)  # the signatures never alone on a page
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    # Three rows: titles, captions, names; so both captions and both names are level
    # whatever the titles' lengths (issue 13.4). The rows keep together.
    table = borderless_table(doc, [8.25, 8.25], rows=3)
    for col, side in enumerate(("left", "right")):
        top, middle, bottom = (table.rows[r].cells[col] for r in range(3))
        para(top, "{{ " + side + ".title }}", align="center", bold=True, space_before=12)
        para(middle, Run("{{ " + side + ".note }}", italic=True), align="center", size=13)
        for _ in range(SIGNATURE_LINES):
            para(bottom, "", align="center")
        para(bottom, "{{ " + side + ".name }}", align="center", bold=True)
    keep_with_next(table, [0, 1])
    tag(doc, "{%p for note in form_notes %}")
    para(doc, Run("{{ note }}", italic=True), align="justify", size=12, space_before=6)
    tag(doc, "{%p endfor %}")
    return doc


def decision() -> Document:
    """Quyết định khen thưởng (ND30 Mẫu 1.2: QĐ quy định trực tiếp)."""
    doc = new_document()
    header(doc, number=True, date=True)
    title(doc, "QUYẾT ĐỊNH", "{{ summary }}")
    para(doc, "{{ issuer_title }}", align="center", bold=True, space_before=6, space_after=6)
    tag(doc, "{%p for line in bases %}")
    body(doc, Run("{{ line }}", italic=True))
    tag(doc, "{%p endfor %}")
    para(doc, "QUYẾT ĐỊNH:", align="center", bold=True, space_before=12, space_after=6)
    body(doc, Run("Điều 1. ", bold=True), "{{ article1 }}")
    tag(doc, "{%p for line in article2 %}")
    body(doc, Run("{{ 'Điều 2. ' if loop.first else '' }}", bold=True), "{{ line }}")
    tag(doc, "{%p endfor %}")
    body(doc, Run("Điều 3. ", bold=True), "{{ article3 }}", keep_with_next=True)
    signature(doc)
    return doc


def decision_list() -> Document:
    """Danh sách kèm theo Quyết định, with the money per nominee, totals and words."""
    doc = new_document()
    header(doc, number=False, date=False)
    title(doc, "DANH SÁCH", "{{ list_summary }}", rule_after=False)
    para(doc, Run("{{ reference }}", italic=True), align="center", keep_with_next=True)
    italic_rule(doc, width_cm=16.5)
    groups = (
        ("collectives", ["TT", "Tên tập thể", "Số tiền (đồng)"], [1.0, 12.5, 3.0]),
        (
            "individuals",
            ["TT", "Họ và tên", "Chức vụ, đơn vị công tác", "Số tiền (đồng)"],
            [1.0, 4.4, 8.1, 3.0],
        ),
    )
    for group, columns, widths in groups:
        tag(doc, "{%p if " + group + " %}")
        group_label(doc, "{{ " + group + "_label }}")
        table = grid_table(doc, widths, columns)
        cells = ["{{ e.index }}", "{{ e.name }}", "{{ e.position_cell }}", "{{ e.money_text }}"]
        if group == "collectives":
            del cells[2]
        lefts: list[Align] = ["left"] * (len(cells) - 2)
        aligns: list[Align] = ["center", *lefts, "right"]
        # the last row keeps with the "Cộng" row, which keeps with what follows
        loop_rows(table, "e in " + group, cells, aligns, keep_last="loop.last")
        total = ["", "Cộng"] + [""] * (len(cells) - 3) + ["{{ " + group + "_total_text }}"]
        add_row(table, total, aligns=aligns, bold=True)
        keep_with_next(table, [4])
        tag(doc, "{%p endif %}")
    para(
        doc,
        Run("Tổng cộng: {{ money_total_text }}", bold=True),
        align="left",
        space_before=6,
        keep_with_next=True,
    )
    para(doc, Run("(Bằng chữ: {{ money_words }})", italic=True), align="left")
    return doc


TEMPLATES: dict[str, Callable[[], Document]] = {
    "to-trinh.docx": proposal,
    "bien-ban-hop-xet.docx": minutes,
    "danh-sach.docx": nominee_list,
    "bao-cao-thanh-tich.docx": report,
    "quyet-dinh.docx": decision,
    "danh-sach-quyet-dinh.docx": decision_list,
}

TITLES = {
    "to-trinh.docx": "Tờ trình đề nghị khen thưởng",
    "bien-ban-hop-xet.docx": "Biên bản họp xét khen thưởng",
    "danh-sach.docx": "Danh sách đề nghị khen thưởng",
    "bao-cao-thanh-tich.docx": "Báo cáo thành tích (mẫu số 07)",
    "quyet-dinh.docx": "Quyết định khen thưởng",
    "danh-sach-quyet-dinh.docx": "Danh sách kèm theo Quyết định khen thưởng",
}


def build(target: Path) -> list[Path]:
    """Write every template into `target`; returns the paths written."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in TEMPLATES.items():
        path = target / name
        save(make(), path, title=TITLES[name])
        written.append(path)
    return written
