"""The dossier documents carry the right words, numbers and layout, and output is safe."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from docx import Document

from docgen.errors import OutputError, TemplateError
from docgen.main import load_workspace, render_dossiers

from .conftest import TEMPLATES
from .docx_text import paragraphs, runs, shown, shown_tables
from .test_validation import edit

UNIT_DIR = Path("2022") / "phuong-song-hien"


def render(ws_dir: Path, out: Path, **kw: object) -> Path:
    ws = load_workspace(ws_dir / "config.yaml", ws_dir / "data")
    render_dossiers(ws, TEMPLATES, out, **kw)  # type: ignore[arg-type]
    return out / UNIT_DIR


def test_dossier_files_in_plan_order(mini: Path, tmp_path: Path) -> None:
    folder = render(mini, tmp_path / "out")
    assert sorted(p.name for p in folder.iterdir()) == [
        "01-to-trinh.docx",
        "02-bien-ban-hop-xet.docx",
        "03-danh-sach.docx",
        "04-bao-cao-thanh-tich-01-tap-the-phuong-song-hien.docx",
        "04-bao-cao-thanh-tich-02-ca-nhan-be-van-an.docx",
    ]
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".docgen")]


def test_proposal_text(mini: Path, tmp_path: Path) -> None:
    doc = render(mini, tmp_path / "out") / "01-to-trinh.docx"
    lines = shown(doc)
    assert lines[:9] == [
        "ỦY BAN NHÂN DÂN",
        "PHƯỜNG SÔNG HIẾN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/TTr-UBND",
        "Sông Hiến, ngày 20 tháng 02 năm 2023",
        "TỜ TRÌNH",
        "Về việc đề nghị khen thưởng tập thể, cá nhân có thành tích xuất sắc trong phong trào "
        "thi đua đẩy mạnh cải cách hành chính gắn với chuyển đổi số thành phố Cao Bằng năm 2022",
        "Kính gửi: Chủ tịch Ủy ban nhân dân thành phố Cao Bằng.",
    ]
    # legal bases in force on 20/02/2023: the 2003 law chain and NĐ 91/2017, not NĐ 98/2023
    assert lines[9].startswith("Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003;")
    assert lines[10].startswith("Căn cứ Nghị định số 91/2017/NĐ-CP")
    assert not any("98/2023" in line for line in lines)
    assert (
        "Căn cứ Biên bản số 02/BB-HĐTĐKT ngày 17 tháng 02 năm 2023 của Hội đồng Thi đua - "
        "Khen thưởng phường Sông Hiến." in lines
    )
    assert "1. Giấy khen của Chủ tịch Ủy ban nhân dân thành phố: 01 tập thể và 01 cá nhân" in lines
    assert "- Tập thể: Ủy ban nhân dân phường Sông Hiến;" in lines
    assert "- Ông Bế Văn An, Phó Chủ tịch UBND phường Sông Hiến." in lines
    # 0,6 × 1.490.000 = 894.000 → 900.000; 0,3 × 1.490.000 = 447.000 → 450.000
    assert (
        "Tổng số tiền thưởng dự kiến: 1.350.000 đồng (Bằng chữ: Một triệu ba trăm năm mươi "
        "nghìn đồng), tính theo mức lương cơ sở 1.490.000 đồng/tháng." in lines
    )
    assert lines[-6:] == [
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nông Văn Bình",
    ]


def test_proposal_without_number_leaves_space_for_the_clerk(mini: Path, tmp_path: Path) -> None:
    edit(mini / "data" / "rounds" / "2022.yaml", 'proposal: {number: "05", ', "proposal: {")
    lines = shown(render(mini, tmp_path / "out") / "01-to-trinh.docx")
    assert "Số:      /TTr-UBND" in lines


def test_money_follows_the_base_salary_on_the_proposal_date(mini: Path, tmp_path: Path) -> None:
    edit(mini / "data" / "rounds" / "2022.yaml", "date: 2023-02-20", "date: 2024-07-01")
    folder = render(mini, tmp_path / "out", allow_ineligible=True)  # late, on purpose
    lines = shown(folder / "01-to-trinh.docx")
    # 0,6 × 2.340.000 = 1.404.000 → 1.410.000; 0,3 × 2.340.000 = 702.000 → 710.000
    assert any(
        "2.120.000 đồng (Bằng chữ: Hai triệu một trăm hai mươi nghìn đồng), tính theo mức "
        "lương cơ sở 2.340.000 đồng/tháng." in line
        for line in lines
    )
    assert any(line.startswith("Căn cứ Nghị định số 98/2023/NĐ-CP") for line in lines)
    assert not any("91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy" in x for x in lines)


def test_minutes_text_and_vote_table(mini: Path, tmp_path: Path) -> None:
    doc = render(mini, tmp_path / "out") / "02-bien-ban-hop-xet.docx"
    lines = shown(doc)
    # the council name is too long for the left column: broken after the dash (issue 13)
    assert lines[:3] == ["UBND PHƯỜNG SÔNG HIẾN", "HỘI ĐỒNG THI ĐUA -", "KHEN THƯỞNG"]
    assert "Số: 02/BB-HĐTĐKT" in lines
    assert not any(x == "ngày 17 tháng 02 năm 2023" for x in lines)  # no date line (Mẫu 1.9)
    assert lines[lines.index("BIÊN BẢN") + 2].startswith(
        "Hôm nay, vào hồi 14 giờ 00 phút, ngày 17 tháng 02 năm 2023, tại Hội trường UBND "
        "phường Sông Hiến, Hội đồng Thi đua - Khen thưởng phường Sông Hiến tổ chức họp xét"
    )
    assert "Hội đồng có 4 thành viên; có mặt 3 thành viên, vắng mặt 1 thành viên. Cụ thể:" in lines
    assert (
        "4. Đồng chí La Văn Hùng, Công chức Tư pháp - Hộ tịch, Ủy viên (vắng mặt, lý do: "
        "đi công tác)." in lines
    )
    votes = shown_tables(doc)[1]
    assert votes[0] == [
        "TT",
        "Tập thể, cá nhân",
        "Hình thức khen thưởng",
        "Số phiếu đồng ý",
        "Tỷ lệ",
    ]
    assert votes[1:] == [
        [
            "1",
            "Ủy ban nhân dân phường Sông Hiến",
            "Giấy khen của Chủ tịch UBND thành phố",
            "3/4",
            "75%",
        ],
        [
            "2",
            "Bế Văn An, Phó Chủ tịch UBND phường Sông Hiến",
            "Giấy khen của Chủ tịch UBND thành phố",
            "2/4",
            "50%",
        ],
    ]
    assert (
        "Cuộc họp kết thúc vào hồi 16 giờ 30 phút cùng ngày. Biên bản đã được thông qua "
        "trước Hội đồng và các thành viên dự họp nhất trí./." in lines
    )
    assert [x for x in lines if x in {"THƯ KÝ", "Lục Thị Mai", "CHỦ TỌA", "Nông Văn Bình"}][
        -4:
    ] == ["THƯ KÝ", "Lục Thị Mai", "CHỦ TỌA", "Nông Văn Bình"]


def test_nominee_list_groups_and_columns(mini: Path, tmp_path: Path) -> None:
    doc = render(mini, tmp_path / "out") / "03-danh-sach.docx"
    lines = shown(doc)
    assert (
        "(Kèm theo Tờ trình số 05/TTr-UBND ngày 20/02/2023 của Ủy ban nhân dân phường "
        "Sông Hiến)" in lines
    )
    assert lines.index("I. TẬP THỂ") < lines.index("II. CÁ NHÂN")
    grids = shown_tables(doc)
    assert grids[1][1] == [
        "1",
        "Ủy ban nhân dân phường Sông Hiến",
        "Giấy khen của Chủ tịch UBND thành phố",
        "",
    ]
    assert grids[2][1] == [
        "1",
        "Bế Văn An",
        "1979",
        "Nam",
        "",
        "Phó Chủ tịch UBND phường Sông Hiến",
        "Giấy khen của Chủ tịch UBND thành phố",
        "",
    ]
    assert "Tổng số: 01 tập thể và 01 cá nhân." in lines
    section = Document(str(doc)).sections[0]
    width, height = section.page_width, section.page_height
    assert width is not None and height is not None
    assert width > height  # landscape for the wide table


def test_nominee_list_without_collectives_numbers_individuals_first(
    mini: Path, tmp_path: Path
) -> None:
    rounds = mini / "data" / "rounds" / "2022.yaml"
    text = rounds.read_text(encoding="utf-8")
    start = text.index("      - collective: phuong-song-hien")
    end = text.index("      - person: be-van-an")
    rounds.write_text(text[:start] + text[end:], encoding="utf-8")
    lines = shown(render(mini, tmp_path / "out") / "03-danh-sach.docx")
    assert "I. CÁ NHÂN" in lines and "I. TẬP THỂ" not in lines
    assert "Tổng số: 01 cá nhân." in lines


def test_reports_for_collective_and_individual(mini: Path, tmp_path: Path) -> None:
    folder = render(mini, tmp_path / "out")
    coll = shown(folder / "04-bao-cao-thanh-tich-01-tap-the-phuong-song-hien.docx")
    assert "BÁO CÁO THÀNH TÍCH" in coll
    assert "Đề nghị tặng Giấy khen của Chủ tịch Ủy ban nhân dân thành phố" in coll
    assert "Tên tập thể: Ủy ban nhân dân phường Sông Hiến" in coll
    assert "Sông Hiến, ngày 17 tháng 02 năm 2023" in coll
    assert ["2022", "95,00%"] in shown_tables(
        folder / "04-bao-cao-thanh-tich-01-tap-the-phuong-song-hien.docx"
    )[1]
    assert "XÁC NHẬN CỦA CẤP TRÌNH KHEN THƯỞNG" in coll and "THỦ TRƯỞNG ĐƠN VỊ" in coll
    ind_path = folder / "04-bao-cao-thanh-tich-02-ca-nhan-be-van-an.docx"
    ind = shown(ind_path)
    assert "Họ và tên: Bế Văn An" in ind
    assert "Giới tính: Nam; Năm sinh: 1979" in ind  # no ethnicity recorded: nothing invented
    assert "- Sáng kiến 'Tra cứu hộ tịch nhanh' được công nhận." in ind
    assert ["2022", "Hoàn thành tốt nhiệm vụ"] in shown_tables(ind_path)[1]
    # signature rows: titles, captions (level with each other, issue 13.4), names
    assert ind[-6:] == [
        "XÁC NHẬN CỦA THỦ TRƯỞNG ĐƠN VỊ",
        "NGƯỜI BÁO CÁO THÀNH TÍCH",
        "(Ký, đóng dấu)",
        "(Ký, ghi rõ họ tên)",
        "Nông Văn Bình",
        "Bế Văn An",
    ]


def test_special_characters_survive_exactly(mini: Path, tmp_path: Path) -> None:
    folder = render(mini, tmp_path / "out")
    report = shown(folder / "04-bao-cao-thanh-tich-01-tap-the-phuong-song-hien.docx")
    assert (
        'Triển khai mô hình "Số hóa & Dữ liệu <mở>" tại bộ phận một cửa; 100% hồ sơ đúng hạn.'
        in report
    )
    for doc in folder.iterdir():
        for text in runs(doc):
            assert unicodedata.is_normalized("NFC", text)


def test_ampersand_in_unit_name_everywhere(mini: Path, tmp_path: Path) -> None:
    edit(
        mini / "data" / "units.yaml",
        "name: Ủy ban nhân dân phường Sông Hiến",
        "name: Ủy ban nhân dân phường Sông Hiến & <Đề Thám>",
    )
    folder = render(mini, tmp_path / "out")
    for name in ("01-to-trinh.docx", "03-danh-sach.docx"):
        joined = "\n".join(shown(folder / name))
        # too long for the header's left column: the name goes on two lines there
        assert "PHƯỜNG SÔNG\nHIẾN & <ĐỀ THÁM>" in joined
        assert "Ủy ban nhân dân phường Sông Hiến & <Đề Thám>" in joined


def test_existing_output_needs_force(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    folder = render(mini, out)
    marker = folder / "ghi-chu.txt"
    marker.write_text("giữ", encoding="utf-8")
    with pytest.raises(OutputError, match=r"đã tồn tại.*--force"):
        render(mini, out)
    assert marker.exists()  # untouched
    with pytest.raises(OutputError, match=r"--force không xóa tệp .*ghi-chu.txt"):
        render(mini, out, force=True)  # the user's file is never deleted
    assert marker.read_text(encoding="utf-8") == "giữ"
    marker.unlink()
    render(mini, out, force=True)
    assert (folder / "01-to-trinh.docx").exists()


def templates_with_extra(tmp_path: Path, name: str, text: str) -> Path:
    """A copy of the templates where `name` gets one more paragraph holding `text`."""
    from docxtpl import DocxTemplate

    folder = tmp_path / "templates"
    folder.mkdir()
    for t in TEMPLATES.glob("*.docx"):
        (folder / t.name).write_bytes(t.read_bytes())
    tpl = DocxTemplate(str(folder / name))
    tpl.init_docx()
    tpl.docx.add_paragraph(text)
    tpl.docx.save(str(folder / name))
    return folder


def test_failed_run_leaves_previous_output_and_no_partial_files(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    folder = render(mini, out)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    # a template that asks for a value the data does not have
    broken = templates_with_extra(tmp_path, "danh-sach.docx", "{{ khong_co_gia_tri }}")
    ws = load_workspace(mini / "config.yaml", mini / "data")
    with pytest.raises(
        TemplateError,
        match=r"danh-sach\.docx: biến không có trong dữ liệu: 'khong_co_gia_tri' is undefined",
    ):
        render_dossiers(ws, broken, out, force=True)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert [p.name for p in out.iterdir()] == ["2022"]


def test_sandbox_blocks_python_internals(mini: Path, tmp_path: Path) -> None:
    payload = "{{ ''.__class__.__mro__[1].__subclasses__() }}"
    templates = templates_with_extra(tmp_path, "to-trinh.docx", payload)
    ws = load_workspace(mini / "config.yaml", mini / "data")
    with pytest.raises(TemplateError, match=r"to-trinh\.docx"):
        render_dossiers(ws, templates, tmp_path / "out")
    assert not (tmp_path / "out" / "2022").exists()


def test_unknown_round_and_unit_selection(mini: Path, tmp_path: Path) -> None:
    from docgen.errors import DocgenError

    ws = load_workspace(mini / "config.yaml", mini / "data")
    with pytest.raises(DocgenError, match="không có đợt khen thưởng '2023'"):
        render_dossiers(ws, TEMPLATES, tmp_path / "out", round_ids=["2023"])
    with pytest.raises(DocgenError, match="có phải ý bạn là 'phong-noi-vu'"):
        render_dossiers(ws, TEMPLATES, tmp_path / "out", unit_ids=["phong-noi-vuu"])
    with pytest.raises(DocgenError, match="phong-noi-vu không có hồ sơ"):
        render_dossiers(ws, TEMPLATES, tmp_path / "out", unit_ids=["phong-noi-vu"])
    assert not (tmp_path / "out").exists()


def test_progress_counts_every_document(mini: Path, tmp_path: Path) -> None:
    seen: list[int] = []
    ws = load_workspace(mini / "config.yaml", mini / "data")
    done = render_dossiers(
        ws, TEMPLATES, tmp_path / "out", progress=lambda n, total: seen.append(n)
    )
    assert sum(seen) == sum(len(d.files) for d in done) == 5


def test_minutes_when_every_member_is_present(mini: Path, tmp_path: Path) -> None:
    edit(mini / "data" / "rounds" / "2022.yaml", ", present: false, reason: đi công tác", "")
    # 2 of 4 present is not more than half: with the fourth member there, the vote is 3.
    edit(mini / "data" / "rounds" / "2022.yaml", "votes: 2", "votes: 3")
    lines = shown(render(mini, tmp_path / "out") / "02-bien-ban-hop-xet.docx")
    assert (
        "Hội đồng có 4 thành viên; có mặt 4 thành viên, không có thành viên vắng mặt. Cụ thể:"
        in lines
    )


def test_a_dossier_of_100_or_more_reports_numbers_them_in_order(mini: Path, tmp_path: Path) -> None:
    """Report numbers get as many digits as needed: file name order (and so the merged
    document's order) is the nominations' order, for 104 reports as for 2 (issue 16.11)."""
    people = mini / "data" / "people.yaml"
    names = [f"Nguyễn Văn Thử {i:03d}" for i in range(1, 104)]
    extra = "".join(
        f"  - id: nguoi-{i:03d}\n    name: {name}\n    gender: nam\n    birth_year: 1980\n"
        f"    position: Chuyên viên\n    unit: phuong-song-hien\n    ratings: {{2022: HTTNV}}\n"
        for i, name in enumerate(names, start=1)
    )
    people.write_text(people.read_text(encoding="utf-8") + extra, encoding="utf-8")
    round_file = mini / "data" / "rounds" / "2022.yaml"
    text = round_file.read_text(encoding="utf-8")
    more = "".join(
        f"      - person: nguoi-{i:03d}\n        award: giay_khen_tp\n        votes: 3\n"
        f"        achievements: [Thành tích {i}.]\n"
        for i in range(1, 104)
    )
    anchor = "        initiatives: [Sáng kiến 'Tra cứu hộ tịch nhanh' được công nhận.]\n"
    round_file.write_text(text.replace(anchor, anchor + more), encoding="utf-8")
    folder = render(mini, tmp_path / "out", allow_ineligible=True, merge=True)
    reports = sorted(p.name for p in folder.iterdir() if p.name.startswith("04-"))
    assert len(reports) == 105
    assert reports[0] == "04-bao-cao-thanh-tich-001-tap-the-phuong-song-hien.docx"
    assert reports[1] == "04-bao-cao-thanh-tich-002-ca-nhan-be-van-an.docx"  # B before N
    assert reports[-1] == "04-bao-cao-thanh-tich-105-ca-nhan-nguoi-103.docx"
    numbers = [int(name.split("-")[5]) for name in reports]
    assert numbers == list(range(1, 106))
    merged = "\n".join(paragraphs(folder / "00-ho-so-day-du.docx"))
    at = [merged.index(f"Thành tích {i}.") for i in (1, 9, 10, 99, 100, 103)]
    assert at == sorted(at), "the merged dossier is out of order"
