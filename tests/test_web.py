"""The office's web page through Flask's test client: what each screen shows, the data in
and out, documents made and downloaded, and the safety rules (binding, token, CSRF, uploads,
downloads by id only, plain error pages)."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from datetime import date
from html import unescape
from pathlib import Path

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient

from docgen import main as api
from docgen.errors import DocgenError
from docgen.render.warm import uno_python
from docgen.web import jobs as jobs_module
from docgen.web.app import MAX_UPLOAD, Settings, create_app
from docgen.web.server import start

from .conftest import TEMPLATES
from .docx_text import paragraphs
from .test_i18n import run


def settings_of(office: Path, host: str = "127.0.0.1", token: str | None = None) -> Settings:
    return Settings(office / "config.yaml", office / "data", TEMPLATES, host, token)


@pytest.fixture
def app(office: Path) -> Iterator[Flask]:
    app = create_app(settings_of(office))
    yield app
    app.extensions["docgen_jobs"].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def text(html: bytes | str) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, spaces collapsed."""
    raw = html.decode() if isinstance(html, bytes) else html
    raw = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", raw, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", raw)).split())


def csrf(client: FlaskClient, page: str = "/lap-van-ban") -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(page).get_data(as_text=True))
    assert found
    return found[1]


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def wait(client: FlaskClient, job_url: str) -> str:
    for _ in range(300):
        state = client.get(job_url + "/trang-thai").get_json()["state"]
        if state != "running":
            return str(state)
        time.sleep(0.1)
    raise AssertionError("job did not finish")


def make(client: FlaskClient, **form: str) -> str:
    response = client.post("/lap-van-ban", data={"csrf": csrf(client), **form})
    assert response.status_code == 303, text(response.data)
    return str(response.headers["Location"])


# ---------------------------------------------------------------------------------------------
# Screens


def test_overview_shows_rounds_deadlines_and_counts(client: FlaskClient) -> None:
    page = text(client.get("/").data)
    assert "Ủy ban nhân dân thành phố Cao Bằng" in page
    assert "24 đơn vị, 24 cá nhân, 2 đợt khen thưởng" in page
    # round, deadline, time left, dossiers, passing, failing
    assert "Đợt năm 2022 trước ngày 15/03/2023 đã qua hạn" in page
    assert re.search(r"Đợt năm 2022 trước ngày 15/03/2023 đã qua hạn \d+ ngày 5 10 4 ", page)
    assert re.search(
        r"Đợt giai đoạn 2021-2025 trước ngày 01/07/2025 đã qua hạn \d+ ngày 4 12 2", page
    )
    assert "Phòng Tư pháp phong-tu-phap 2022" in page


def test_days_left_count_the_deadline_day_as_late(office: Path) -> None:
    ws = api.load_workspace(office / "config.yaml", office / "data")
    left = {
        day: {s.round.id: s.days_left for s in api.summarize_rounds(ws, day)}["2022"]
        for day in (date(2023, 3, 10), date(2023, 3, 14), date(2023, 3, 15))
    }
    assert left == {date(2023, 3, 10): 4, date(2023, 3, 14): 0, date(2023, 3, 15): -1}
    summary = api.summarize_rounds(ws, date(2025, 4, 1))[-1]
    assert (summary.round.id, summary.deadline, summary.days_left) == (
        "2021-2025",
        date(2025, 7, 1),
        90,
    )


def test_round_lists_failures_first_with_reasons(client: FlaskClient) -> None:
    html = client.get("/dot/2022").get_data(as_text=True)
    marks = re.findall(r'<span class="badge (good|bad)">', html)
    assert marks == ["bad"] * 4 + ["good"] * 10
    page = text(html)
    assert "14 đề nghị: 10 đạt, 4 không đạt." in page
    assert (
        "KHÔNG ĐẠT Ủy ban nhân dân phường Hợp Giang tập thể Giấy khen của Chủ tịch Ủy ban "
        "nhân dân thành phố Ủy ban nhân dân phường Hợp Giang ✗ Chỉ số CCHC năm 2022: 88,75% < 90%"
    ) in page
    assert "✗ Tờ trình ngày 20/3/2023 quá hạn (phải trước ngày 15/3/2023)" in page


def test_round_filtered_by_unit(client: FlaskClient) -> None:
    page = text(client.get("/dot/2022?don-vi=phong-tu-phap").data)
    assert page.count("KHÔNG ĐẠT Phòng Tư pháp") == 1
    assert "Đàm Văn Lợi" in page
    assert "Hợp Giang ✗" not in page
    assert "Lập hồ sơ của đơn vị này" in page


def test_unknown_round_is_a_plain_404(client: FlaskClient) -> None:
    response = client.get("/dot/2099")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in text(response.data)


def record(client: FlaskClient, **form: str) -> tuple[int, str]:
    token = csrf(client, "/so-khen-thuong")
    response = client.post("/so-khen-thuong/ghi", data={"csrf": token, **form})
    return response.status_code, text(response.data)


def test_register_shows_what_it_would_record_first(client: FlaskClient, office: Path) -> None:
    token = csrf(client, "/so-khen-thuong")
    form = {"csrf": token, "round": "2022", "number": "1205", "date": "12/04/2023"}
    page = text(client.post("/so-khen-thuong/xem-truoc", data=form).data)
    assert "Sẽ ghi 9 tập thể, cá nhân; số sổ vàng được đánh khi ghi." in page
    assert "Bế Văn Hùng Giấy khen của Chủ tịch Ủy ban nhân dân thành phố năm 2022" in page
    assert "Xác nhận ghi vào sổ" in page
    assert not (office / "so-khen-thuong.sqlite").exists()  # a preview writes nothing
    assert record(client, round="2022", number="1205", date="12/04/2023")[0] == 200
    again = text(client.post("/so-khen-thuong/xem-truoc", data=form).data)
    assert "Không ghi được vào sổ" in again and "Xác nhận ghi vào sổ" not in again


def test_register_records_a_signed_decision_and_finds_awardees(
    client: FlaskClient, office: Path
) -> None:
    assert "Không tìm thấy ai trong sổ." in text(client.get("/so-khen-thuong?q=Hùng").data)
    status, page = record(client, round="2022", number="1205", date="12/04/2023")
    assert status == 200, page
    assert "Đã ghi Quyết định số 1205/QĐ-UBND ngày 12/4/2023: 9 tập thể, cá nhân." in page
    assert "001/2023 Ủy ban nhân dân phường Sông Hiến Giấy khen của Chủ tịch" in page
    assert (office / "so-khen-thuong.sqlite").is_file()
    # the same records as the library finds
    ws = api.load_workspace(office / "config.yaml", office / "data")
    register = api.register_path(office / "config.yaml", ws.config)
    assert [a.name for a in api.find_awards(register, "Sông Hiến")][:1] == [
        "Ủy ban nhân dân phường Sông Hiến"
    ]
    found = text(client.get("/so-khen-thuong?q=Bế Văn").data)
    assert (
        "Bế Văn Hùng (cá nhân, Công chức Văn phòng - Thống kê Ủy ban nhân dân phường Sông "
        "Hiến) Ngày quyết định Hình thức Thành tích Quyết định Số sổ vàng 12/04/2023 Giấy khen "
        "của Chủ tịch Ủy ban nhân dân thành phố năm 2022 Quyết định số 1205/QĐ-UBND ngày "
        "12/4/2023 của Ủy ban nhân dân thành phố Cao Bằng 004/2023"
    ) in found
    history = text(client.get("/so-khen-thuong/ho-so?ma=be-van-hung").data)
    assert "Bế Văn Hùng cá nhân, Công chức Văn phòng - Thống kê" in history
    assert "mã: be-van-hung Lịch sử khen thưởng" in history
    missing = client.get("/so-khen-thuong/ho-so?ma=khong-co")
    assert missing.status_code == 422
    assert "sổ khen thưởng không có tập thể, cá nhân mã 'khong-co'" in text(missing.data)


def test_register_refuses_what_the_cli_refuses(client: FlaskClient, office: Path) -> None:
    assert record(client, round="2022", number="1205", date="12/04/2023")[0] == 200
    before = (office / "so-khen-thuong.sqlite").read_bytes()
    status, page = record(client, round="2022", number="1205", date="12/04/2023")
    assert status == 422
    assert (
        "Bế Văn Hùng đã được tặng Giấy khen của Chủ tịch Ủy ban nhân dân thành phố năm 2022 "
        "(Quyết định số 1205/QĐ-UBND ngày 12/4/2023)"
    ) in page
    assert "Traceback" not in page
    status, page = record(client, round="2022", number="1206", date="31/02/2023")
    assert status == 422
    assert "31/02/2023" in page
    status, page = record(client, round="2099", number="1", date="01/01/2024")
    assert status == 422 and "không có đợt khen thưởng '2099'" in page
    assert (office / "so-khen-thuong.sqlite").read_bytes() == before


def test_broken_data_shows_its_problems_not_a_traceback(client: FlaskClient, office: Path) -> None:
    units = office / "data" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("symbol:", "symbl:", 1), "utf-8")
    response = client.get("/")
    assert response.status_code == 422
    page = text(response.data)
    assert "Dữ liệu có lỗi" in page
    # file, line, message, hint: one row of the table
    assert re.search(
        r"units\.yaml \d+ khóa 'symbl' không được hỗ trợ ở đây có phải ý bạn là 'symbol'\?", page
    ), page
    assert "Traceback" not in page


def test_unexpected_failure_is_a_plain_vietnamese_page(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(api, "summarize_rounds", broken)
    response = client.get("/")
    assert response.status_code == 500
    page = text(response.data)
    assert "Có lỗi không mong muốn; chi tiết ở cửa sổ chạy docgen." in page
    assert "secret internals" not in page and "Traceback" not in page


# ---------------------------------------------------------------------------------------------
# Data in and out


def downloaded(client: FlaskClient, tmp_path: Path) -> Path:
    response = client.get("/du-lieu/du-lieu.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=du-lieu.xlsx"
    path = tmp_path / "tai-ve.xlsx"
    path.write_bytes(response.data)
    return path


def upload(client: FlaskClient, path: Path, name: str) -> tuple[int, str]:
    token = csrf(client, "/du-lieu")
    with path.open("rb") as f:
        response = client.post(
            "/du-lieu",
            data={"csrf": token, "file": (f, name)},
            content_type="multipart/form-data",
        )
    return response.status_code, text(response.data)


def test_download_is_the_export(client: FlaskClient, office: Path, tmp_path: Path) -> None:
    path = downloaded(client, tmp_path)
    ws = api.load_workspace(office / "config.yaml", office / "data")
    api.export_data(ws, tmp_path / "cli.xlsx")
    ours, cli = openpyxl.load_workbook(path), openpyxl.load_workbook(tmp_path / "cli.xlsx")
    assert ours.sheetnames == cli.sheetnames
    for name in ours.sheetnames:
        assert [[c.value for c in r] for r in ours[name].iter_rows()] == [
            [c.value for c in r] for r in cli[name].iter_rows()
        ]


def test_bad_workbook_is_shown_by_cell_and_changes_nothing(
    client: FlaskClient, office: Path, tmp_path: Path
) -> None:
    path = downloaded(client, tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["Đơn vị"]["C3"] = "phuongx"
    wb["Cá nhân"]["D2"] = "abc"
    wb.save(path)
    before = tree(office)
    status, page = upload(client, path, "du-lieu.xlsx")
    assert status == 422
    assert "du-lieu.xlsx: 2 lỗi, dữ liệu chưa được thay đổi" in page
    assert (
        "du-lieu.xlsx Đơn vị C3 giá trị 'phuongx' không hợp lệ; cần một trong: office, "
        "commune, ward, public_service"
    ) in page
    assert re.search(r"du-lieu.xlsx Cá nhân D2 cần số nguyên, nhận được 'abc'", page), page
    assert tree(office) == before
    assert not list(office.parent.glob(".docgen-*"))  # the candidate is gone too


def test_good_workbook_becomes_the_data_with_a_dated_backup(
    client: FlaskClient, office: Path, tmp_path: Path
) -> None:
    old = api.load_workspace(office / "config.yaml", office / "data")
    path = downloaded(client, tmp_path)
    wb = openpyxl.load_workbook(path)
    assert wb["Đơn vị"]["B3"].value == "Phòng Nội vụ"
    wb["Đơn vị"]["B3"] = "Phòng Nội vụ thành phố"
    wb.save(path)
    previous = tree(office / "data")
    status, page = upload(client, path, "Bang tinh cua toi.xlsx")
    assert status == 200, page
    assert re.search(
        r"Đã nhập Bang tinh cua toi.xlsx: 24 đơn vị, 24 cá nhân, 2 đợt\. "
        r"Dữ liệu cũ được lưu tại sao-luu/data-\d{4}-\d\d-\d\d-\d{6}\.",
        page,
    )
    (backup,) = (office / "sao-luu").iterdir()
    assert tree(backup) == previous
    data = office / "data"
    assert (data / "du-lieu.xlsx").is_file()
    assert not (data / "units.yaml").exists() and not (data / "people.yaml").exists()
    for name in ("2022.yaml", "2021-2025.yaml"):
        assert "nominations:" not in (data / "rounds" / name).read_text(encoding="utf-8")
        assert "nominations:" in (backup / "rounds" / name).read_text(encoding="utf-8")
    # comments of the round files are kept
    assert "# Đợt khen thưởng hằng năm 2022" in (data / "rounds" / "2022.yaml").read_text("utf-8")
    new = api.load_workspace(office / "config.yaml", data)
    assert new.units["phong-noi-vu"].name == "Phòng Nội vụ thành phố"
    assert new.people == old.people
    assert new.rounds == old.rounds
    assert "24 đơn vị" in text(client.get("/").data)
    # and the next upload replaces the workbook itself
    status, page = upload(client, path, "du-lieu.xlsx")
    assert status == 200, page
    assert len(list((office / "sao-luu").iterdir())) == 2


def test_round_file_upload_is_checked_with_the_rest(
    client: FlaskClient, office: Path, tmp_path: Path
) -> None:
    source = (office / "data" / "rounds" / "2022.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "2022.yaml"
    bad.write_text(source.replace("year: 2022", "year: hai-nghin"), encoding="utf-8")
    before = tree(office)
    status, page = upload(client, bad, "2022.yaml")
    assert status == 422
    line = source.split("\n").index("year: 2022") + 1
    assert f"2022.yaml {line} cần số nguyên, nhận được 'hai-nghin'" in page
    assert tree(office) == before
    good = tmp_path / "2022.yaml"
    good.write_text(source.replace('note: "Dữ liệu mẫu', 'note: "Đã sửa; dữ liệu mẫu'), "utf-8")
    status, page = upload(client, good, "2022.yaml")
    assert status == 200, page
    assert "Đã sửa; dữ liệu mẫu" in (office / "data" / "rounds" / "2022.yaml").read_text("utf-8")
    assert (office / "data" / "units.yaml").exists()  # a YAML file replaces only itself


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "du-lieu.xls",
            "chỉ nhận tệp Excel .xlsx hoặc tệp dữ liệu .yaml, không nhận 'du-lieu.xls'",
        ),
        (
            "ghi-chu.txt",
            "chỉ nhận tệp Excel .xlsx hoặc tệp dữ liệu .yaml, không nhận 'ghi-chu.txt'",
        ),
        # a path is cut to its name: a round file inside data/rounds/, checked like the rest
        ("../../config.yaml", "config.yaml 1 thiếu khóa bắt buộc 'submissions'"),
        ("Đợt 2023.yaml", "tên tệp đợt 'Đợt 2023.yaml' không dùng được"),
    ],
)
def test_only_xlsx_and_data_yaml_are_taken(
    client: FlaskClient, office: Path, tmp_path: Path, name: str, expected: str
) -> None:
    path = tmp_path / "x"
    path.write_bytes(b"id: x\n")
    before = tree(office)
    status, page = upload(client, path, name)
    assert status == 422
    assert expected in page
    assert tree(office) == before


def test_oversized_upload_is_refused_before_reading(client: FlaskClient, office: Path) -> None:
    before = tree(office)
    response = client.post(
        "/du-lieu",
        data={
            "csrf": csrf(client, "/du-lieu"),
            "file": (io.BytesIO(b"0" * (MAX_UPLOAD + 1)), "a.xlsx"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "Tệp tải lên lớn hơn 20 MB" in text(response.data)
    assert tree(office) == before


def test_zip_bomb_workbook_is_refused_with_the_cli_limits(
    client: FlaskClient, office: Path, tmp_path: Path
) -> None:
    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as part:
            chunk = b"\0" * (1 << 20)
            for _ in range(210):
                part.write(chunk)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    before = tree(office)
    status, page = upload(client, bomb, "du-lieu.xlsx")
    assert status == 422
    assert "tệp giải nén quá lớn (có thể là tệp độc hại)" in page
    assert tree(office) == before


# ---------------------------------------------------------------------------------------------
# Documents


def test_a_units_dossier_is_made_and_downloaded(
    client: FlaskClient, office: Path, tmp_path: Path
) -> None:
    job = make(client, kind="dossier", round="2022", unit="phuong-song-hien")
    assert wait(client, job) == "done"
    page = text(client.get(job).data)
    assert "Hồ sơ đề nghị khen thưởng — năm 2022, Ủy ban nhân dân phường Sông Hiến" in page
    assert "Đã lập xong 7 tệp." in page
    response = client.get(job + "/tat-ca.zip")
    assert response.headers["Content-Disposition"].endswith("ho-so-2022-phuong-song-hien.zip")
    names = sorted(zipfile.ZipFile(io.BytesIO(response.data)).namelist())
    assert names[:3] == [
        "2022/phuong-song-hien/01-to-trinh.docx",
        "2022/phuong-song-hien/02-bien-ban-hop-xet.docx",
        "2022/phuong-song-hien/03-danh-sach.docx",
    ]
    assert len(names) == 7
    # the same documents as the library makes
    ws = api.load_workspace(office / "config.yaml", office / "data")
    api.render_dossiers(ws, TEMPLATES, tmp_path / "cli", ["2022"], ["phuong-song-hien"])
    single = client.get(job + "/tep/0")
    assert single.headers["Content-Disposition"].endswith("01-to-trinh.docx")
    (tmp_path / "web.docx").write_bytes(single.data)
    expected = paragraphs(tmp_path / "cli" / "2022" / "phuong-song-hien" / "01-to-trinh.docx")
    assert paragraphs(tmp_path / "web.docx") == expected
    assert any("TỜ TRÌNH" in p for p in expected)


def test_ineligible_nominations_stop_the_dossier_unless_allowed(client: FlaskClient) -> None:
    response = client.post(
        "/lap-van-ban",
        data={"csrf": csrf(client), "kind": "dossier", "round": "2022", "unit": "phuong-hop-giang"},
    )
    assert response.status_code == 422
    page = text(response.data)
    assert "1 đề nghị không đạt tiêu chuẩn của kế hoạch; chọn 'Vẫn lập hồ sơ khi có đề nghị" in page
    assert "Chỉ số CCHC năm 2022: 88,75% < 90%" in page
    job = make(client, kind="dossier", round="2022", unit="phuong-hop-giang", allow_ineligible="1")
    assert wait(client, job) == "done"


def test_unknown_unit_is_a_plain_error(client: FlaskClient) -> None:
    response = client.post(
        "/lap-van-ban", data={"csrf": csrf(client), "kind": "dossier", "unit": "phuong-khong-co"}
    )
    assert response.status_code == 422
    assert "không có đơn vị 'phuong-khong-co'" in text(response.data)


def test_decisions_and_plan(client: FlaskClient) -> None:
    job = make(client, kind="decision", round="2022")
    assert wait(client, job) == "done"
    names = zipfile.ZipFile(io.BytesIO(client.get(job + "/tat-ca.zip").data)).namelist()
    assert sorted(names) == [
        "2022/quyet-dinh/01-quyet-dinh-giay-khen-tp.docx",
        "2022/quyet-dinh/02-danh-sach-kem-quyet-dinh-giay-khen-tp.docx",
        "2022/quyet-dinh/03-to-trinh-de-nghi-bang-khen-tinh.docx",
        "2022/quyet-dinh/04-danh-sach-kem-to-trinh-bang-khen-tinh.docx",
    ]
    job = make(client, kind="plan")
    assert wait(client, job) == "done"
    names = zipfile.ZipFile(io.BytesIO(client.get(job + "/tat-ca.zip").data)).namelist()
    assert names == ["145-KH-UBND.docx"]


def test_two_people_making_documents_get_their_own_outputs(app: Flask) -> None:
    first, second = app.test_client(), app.test_client()
    a = make(first, kind="dossier", round="2022", unit="phuong-song-hien")
    b = make(second, kind="dossier", round="2021-2025", unit="phong-noi-vu", allow_ineligible="1")
    assert a != b
    assert wait(first, a) == wait(second, b) == "done"
    za = zipfile.ZipFile(io.BytesIO(first.get(a + "/tat-ca.zip").data)).namelist()
    zb = zipfile.ZipFile(io.BytesIO(second.get(b + "/tat-ca.zip").data)).namelist()
    assert {n.rsplit("/", 1)[0] for n in za} == {"2022/phuong-song-hien"}
    assert {n.rsplit("/", 1)[0] for n in zb} == {"2021-2025/phong-noi-vu"}


def test_downloads_are_by_id_never_by_path(client: FlaskClient, office: Path) -> None:
    job = make(client, kind="plan")
    assert wait(client, job) == "done"
    assert client.get(job + "/tep/0").status_code == 200
    for url in (
        job + "/tep/1",
        job + "/tep/-1",
        job + "/tep/..%2F..%2Fconfig.yaml",
        job + "/tep/../../config.yaml",
        job + "/xem/7",
        job + "/pdf/3",
        "/ket-qua/" + "A" * 22 + "/tep/0",
        "/ket-qua/..%2F..%2Fetc/tep/0",
        "/static/..%2F..%2F..%2Fconfig.yaml",
        "/static/../app.py",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"ssh" not in response.data and b"awards:" not in response.data


def test_job_files_are_cleaned_up(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    client = app.test_client()
    jobs = app.extensions["docgen_jobs"]
    job = make(client, kind="plan")
    assert wait(client, job) == "done"
    folder = jobs.get(job.rsplit("/", 1)[1]).root
    assert folder.is_dir()
    jobs.expire(time.time() + jobs_module.TTL + 1)
    assert not folder.exists()
    assert client.get(job).status_code == 404
    jobs.close()
    assert not jobs.root.exists()


def soffice() -> bool:
    return shutil.which("soffice") is not None


@pytest.mark.skipif(not soffice(), reason="LibreOffice is not installed")
def test_pdf_preview_of_a_document(client: FlaskClient, tmp_path: Path) -> None:
    job = make(client, kind="dossier", round="2022", unit="phuong-song-hien")
    assert wait(client, job) == "done"
    page = client.get(job + "/xem/0").get_data(as_text=True)
    assert "01-to-trinh.docx" in text(page)
    src = re.search(r'<iframe[^>]+src="([^"]+)"', page)
    assert src
    response = client.get(src[1])
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    (tmp_path / "p.pdf").write_bytes(response.data)
    shown = subprocess.run(
        ["pdftotext", str(tmp_path / "p.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "TỜ TRÌNH" in shown
    assert "Ủy ban nhân dân phường Sông Hiến" in " ".join(shown.split()) or "SÔNG HIẾN" in shown


# ---------------------------------------------------------------------------------------------
# Safety: CSRF, binding and token, host names


def test_every_changing_form_needs_the_csrf_token(client: FlaskClient, tmp_path: Path) -> None:
    for url, form in (
        ("/lap-van-ban", {"kind": "plan"}),
        ("/du-lieu", {}),
        ("/so-khen-thuong/ghi", {"round": "2022", "number": "1", "date": "12/04/2023"}),
        ("/so-khen-thuong/xem-truoc", {"round": "2022", "number": "1", "date": "12/04/2023"}),
    ):
        for token in (None, "sai"):
            data = dict(form) if token is None else {**form, "csrf": token}
            response = client.post(url, data=data)
            assert response.status_code == 403, url
            assert "Biểu mẫu đã hết hạn hoặc không gửi từ trang này" in text(response.data)
    html = client.get("/lap-van-ban").get_data(as_text=True)
    forms = re.findall(r"<form method=\"post\".*?</form>", html, flags=re.S)
    assert len(forms) == 3
    assert all('name="csrf"' in f for f in forms)


def test_other_host_names_are_refused_on_loopback(client: FlaskClient) -> None:
    response = client.get("/", headers={"Host": "attacker.example:8000"})
    assert response.status_code == 403
    assert "Trang chỉ mở được từ chính máy này" in text(response.data)
    assert client.get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_binding_elsewhere_requires_a_token(office: Path) -> None:
    with pytest.raises(DocgenError, match="phải có mã truy cập"):
        create_app(settings_of(office, host="0.0.0.0"))
    app = create_app(settings_of(office, host="0.0.0.0", token="bi-mat"))
    try:
        client = app.test_client()
        response = client.get("/")
        assert response.status_code == 302 and response.headers["Location"] == "/dang-nhap"
        assert client.get("/du-lieu/du-lieu.xlsx").status_code == 302
        assert client.get("/?token=sai").status_code == 302
        assert "Nhập mã truy cập" in text(client.get("/dang-nhap").data)
        wrong = client.post("/dang-nhap", data={"csrf": csrf(client, "/dang-nhap"), "token": "x"})
        assert wrong.status_code == 403
        assert "Mã truy cập không đúng." in text(wrong.data)
        assert client.get("/").status_code == 302
        right = client.get("/?token=bi-mat")
        assert right.status_code == 302 and right.headers["Location"] == "/"
        assert client.get("/").status_code == 200
        other = app.test_client()  # another browser without the token
        ok = other.post("/dang-nhap", data={"csrf": csrf(other, "/dang-nhap"), "token": "bi-mat"})
        assert ok.status_code == 302
        assert other.get("/").status_code == 200
    finally:
        app.extensions["docgen_jobs"].close()


def test_server_on_another_address_prints_and_requires_its_token(office: Path) -> None:
    server = start(settings_of(office, host="0.0.0.0"), 0, warm_previews=False)
    thread = threading.Thread(target=server.wsgi.serve_forever, daemon=True)
    thread.start()
    try:
        token = server.settings.token
        assert token and len(token) >= 20
        port = server.wsgi.server_port
        assert server.url == f"http://0.0.0.0:{port}/?token={token}"

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: object, **kwargs: object) -> None:
                return None

        opener = urllib.request.build_opener(NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(f"http://127.0.0.1:{port}/du-lieu/du-lieu.xlsx", timeout=30)
        assert refused.value.code == 302
        with pytest.raises(urllib.error.HTTPError) as let_in:
            opener.open(f"http://127.0.0.1:{port}/?token={token}", timeout=30)
        assert let_in.value.code == 302
        assert "docgen_session" in (let_in.value.headers.get("Set-Cookie") or "")
    finally:
        server.wsgi.shutdown()
        server.close()
    assert not server.jobs.root.exists()


def test_loopback_server_needs_no_token(office: Path) -> None:
    server = start(settings_of(office), 0, warm_previews=False)
    try:
        assert server.settings.token is None
        assert server.url == f"http://127.0.0.1:{server.wsgi.server_port}/"
    finally:
        server.close()


def gone(pid: int) -> bool:
    """Whether process `pid` has ended (or is only a zombie waiting to be reaped)."""
    for _ in range(100):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(
    not soffice() or uno_python() is None, reason="LibreOffice or its python3-uno is missing"
)
def test_server_keeps_one_warm_libreoffice_for_previews(
    office: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    server = start(settings_of(office), 0)
    try:
        assert server.previews.wait(150)
        converter = server.previews.converter
        assert converter is not None, server.previews.cold_reason
        office_pid = converter.office_pid
        assert office_pid and converter.alive()
        converted: list[str] = []
        real = converter.convert

        def spy(docx: Path, out_dir: Path) -> Path:
            converted.append(docx.name)
            return real(docx, out_dir)

        monkeypatch.setattr(converter, "convert", spy)
        client = server.wsgi.app.test_client()  # type: ignore[attr-defined]
        job = make(client, kind="dossier", round="2022", unit="phuong-song-hien")
        assert wait(client, job) == "done"
        shown = []
        for number in (0, 1):
            response = client.get(f"{job}/pdf/{number}")
            assert response.mimetype == "application/pdf"
            (tmp_path / f"{number}.pdf").write_bytes(response.data)
            shown.append(
                " ".join(
                    subprocess.run(
                        ["pdftotext", str(tmp_path / f"{number}.pdf"), "-"],
                        capture_output=True,
                        text=True,
                        check=True,
                    ).stdout.split()
                )
            )
        assert "TỜ TRÌNH" in shown[0] and "BIÊN BẢN" in shown[1]
        # both by the one LibreOffice started with the server; none started for them
        assert converted == ["01-to-trinh.docx", "02-bien-ban-hop-xet.docx"]
        assert converter.office_pid == office_pid and converter.starts == 1
        assert client.get(f"{job}/pdf/1").data == response.data
        assert len(converted) == 2  # a second look is the PDF kept from the first
    finally:
        server.close()
    assert server.previews.converter is None and not converter.alive()
    assert gone(office_pid)  # LibreOffice goes with the server
    assert not converter.home.exists()  # and its profile


# ---------------------------------------------------------------------------------------------
# The command line


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run(*args, cwd=cwd, DOCGEN_LANG="vi")


def test_serve_is_a_command(office: Path) -> None:
    result = run_cli("serve", "--help", cwd=office)
    assert result.returncode == 0
    assert "--host TEXT" in result.stdout and "--open" in result.stdout
    assert "khác 127.0.0.1 thì cần mã truy cập" in result.stdout


def test_serve_stopped_leaves_no_temporary_files(office: Path, tmp_path: Path) -> None:
    import os
    import signal
    import sys

    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES")}
    server = subprocess.Popen(
        [sys.executable, "-m", "docgen", "serve", "--port", "0"],
        cwd=office,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**env, "DOCGEN_LANG": "vi", "TMPDIR": str(temp)},
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        found = re.search(r"Trang của docgen: (http://127\.0\.0\.1:\d+/)", line)
        assert found, line
        with urllib.request.urlopen(found[1], timeout=60) as page:
            assert "Các đợt khen thưởng" in page.read().decode()
        assert [p.name[:11] for p in temp.iterdir()] == ["docgen-web-"]
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0  # werkzeug ends serve_forever on the interrupt
    finally:
        server.kill()
        server.wait()
    assert list(temp.iterdir()) == []


def test_global_options_after_the_subcommand(office: Path) -> None:
    shutil.copytree(TEMPLATES, office / "templates")
    after = run_cli("dossier", "-q", "--allow-ineligible", "--round", "2022", cwd=office)
    assert after.returncode == 0, after.stderr
    assert after.stdout == ""
    assert (office / "out" / "2022" / "phuong-song-hien" / "01-to-trinh.docx").is_file()
    before = run_cli(
        "-q", "dossier", "--force", "--allow-ineligible", "--round", "2022", cwd=office
    )
    assert before.returncode == 0 and before.stdout == ""
    loud = run_cli("dossier", "--force", "--allow-ineligible", "--round", "2022", cwd=office)
    assert "Đã lập 5 hồ sơ" in loud.stdout
    moved = run_cli("validate", "--config", "config.yaml", "--lang", "en", cwd=office)
    assert moved.returncode == 0
    assert moved.stdout.startswith("Data is valid: units: 24"), moved.stdout


# ---------------------------------------------------------------------------------------------
# Language


def test_page_texts_are_in_the_checked_catalog() -> None:
    """tests/test_i18n.py checks every message of the sources, the page templates included."""
    from .test_i18n import TEMPLATES, msgids

    assert {p.name for p in TEMPLATES} >= {"base.html", "overview.html", "round.html"}
    assert "Tải bảng tính dữ liệu (.xlsx)" in msgids(
        TEMPLATES[[p.name for p in TEMPLATES].index("data.html")]
    )


def test_pages_in_english_by_the_same_catalog(office: Path) -> None:
    from docgen.i18n import using

    with using("en"):
        app = create_app(settings_of(office))
        client = app.test_client()
        try:
            page = text(client.get("/").data)
            assert "Award rounds Round Deadline Time left Dossiers Passing Failing" in page
            assert "Round năm 2022 before 15/03/2023" in page
            round_page = text(client.get("/dot/2022").data)
            assert (
                "Nominations: 14; passing: 10, failing: 4. Failing nominations first." in round_page
            )
            assert "Tổng quan" not in page and "Lập văn bản" not in round_page
        finally:
            app.extensions["docgen_jobs"].close()
