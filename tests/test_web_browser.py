"""The page in a real browser: Debian's headless Chromium driven by Selenium through
chromedriver, against a real server on a free port, as an office worker would use it.

Screenshots of every screen are saved under the test's temporary folder and copied to
screenshots-local/ in the repository (not committed) to be looked at.
"""

from __future__ import annotations

import shutil
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from docgen.web.app import Settings
from docgen.web.server import Server, start

from .conftest import ROOT, TEMPLATES

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SHOTS = ROOT / "screenshots-local"

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)",
)

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


@pytest.fixture
def server(office: Path) -> Iterator[Server]:
    settings = Settings(office / "config.yaml", office / "data", TEMPLATES)
    server = start(settings, 0)
    thread = threading.Thread(target=server.wsgi.serve_forever, daemon=True)
    thread.start()
    yield server
    server.wsgi.shutdown()
    server.close()


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    folder = tmp_path / "tai-ve"
    folder.mkdir()
    return folder


@pytest.fixture
def browser(downloads: Path) -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=vi"):
        options.add_argument(arg)
    options.add_argument("--window-size=1280,1000")
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "plugins.always_open_pdf_externally": False,
        },
    )
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.set_page_load_timeout(120)
    yield driver
    driver.quit()


def until(driver: WebDriver, check: Callable[[WebDriver], Any], seconds: float = 60) -> Any:
    return WebDriverWait(driver, seconds, poll_frequency=0.2).until(check)


def shot(driver: WebDriver, tmp_path: Path, name: str) -> Path:
    """A full-page screenshot, kept in the test's folder and copied to screenshots-local/."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, max(700, min(int(height) + 40, 4000)))
    path = tmp_path / name
    driver.save_screenshot(str(path))
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / name)
    driver.set_window_size(1280, 1000)
    return path


def downloaded(folder: Path, suffix: str, seconds: float = 60) -> Path:
    end = time.time() + seconds
    while time.time() < end:
        done = [p for p in folder.iterdir() if p.suffix == suffix]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} downloaded into {folder}: {list(folder.iterdir())}")


def body(driver: WebDriver) -> str:
    return " ".join(driver.find_element(By.TAG_NAME, "body").text.split())


def test_a_round_in_the_browser(
    server: Server, browser: WebDriver, downloads: Path, office: Path, tmp_path: Path
) -> None:
    url = server.url.rstrip("/")
    # 1. the workspace at a glance
    browser.get(url + "/")
    rounds = browser.find_element(By.ID, "rounds").text
    assert "Đợt năm 2022" in rounds and "trước ngày 15/03/2023" in rounds
    shot(browser, tmp_path, "01-tong-quan.png")

    # 2. data in: the workbook down, a mistake up, its cell shown, nothing changed
    browser.find_element(By.LINK_TEXT, "Dữ liệu").click()
    browser.find_element(By.ID, "download-xlsx").click()
    book = downloaded(downloads, ".xlsx")
    wb = openpyxl.load_workbook(book)
    wb["Đơn vị"]["C3"] = "phong-ban"
    wrong = tmp_path / "du-lieu-sai.xlsx"
    wb.save(wrong)
    browser.find_element(By.ID, "upload-file").send_keys(str(wrong))
    browser.find_element(By.ID, "upload").click()
    problems = until(browser, lambda d: d.find_element(By.ID, "problems"))
    row = " ".join(problems.find_elements(By.CSS_SELECTOR, "tbody tr")[0].text.split())
    assert row.startswith("du-lieu.xlsx Đơn vị C3 giá trị 'phong-ban' không hợp lệ"), row
    assert (office / "data" / "units.yaml").exists()
    shot(browser, tmp_path, "02-du-lieu-loi.png")

    # … then the fixed one, which becomes the data
    wb["Đơn vị"]["C3"] = "office"
    fixed = tmp_path / "du-lieu-da-sua.xlsx"
    wb.save(fixed)
    browser.find_element(By.ID, "upload-file").send_keys(str(fixed))
    browser.find_element(By.ID, "upload").click()
    result = until(browser, lambda d: d.find_element(By.ID, "result")).text
    assert result.startswith("Đã nhập du-lieu-da-sua.xlsx: 24 đơn vị, 24 cá nhân, 2 đợt."), result
    assert (office / "data" / "du-lieu.xlsx").is_file()
    assert not (office / "data" / "units.yaml").exists()
    shot(browser, tmp_path, "03-du-lieu-da-nhap.png")

    # 3. a round: failures first, filtered by unit
    browser.find_element(By.LINK_TEXT, "Tổng quan").click()
    until(browser, lambda d: d.current_url == url + "/")
    browser.find_element(By.LINK_TEXT, "Đợt năm 2022").click()
    until(browser, lambda d: d.current_url.endswith("/dot/2022"))
    first = browser.find_elements(By.CSS_SELECTOR, "#verdicts tbody tr")[0].text
    assert first.startswith("KHÔNG ĐẠT"), first
    shot(browser, tmp_path, "04-dot-2022.png")
    Select(browser.find_element(By.ID, "unit-filter")).select_by_visible_text(
        "Ủy ban nhân dân phường Sông Hiến"
    )
    browser.find_element(By.ID, "filter").click()
    until(browser, lambda d: "don-vi=phuong-song-hien" in d.current_url)
    rows = browser.find_elements(By.CSS_SELECTOR, "#verdicts tbody tr")
    assert len(rows) == 4 and all(r.text.startswith("ĐẠT") for r in rows)
    shot(browser, tmp_path, "05-dot-loc-don-vi.png")

    # 4. that unit's dossier, its progress, its zip
    browser.find_element(By.ID, "make-unit").click()
    done = until(browser, lambda d: d.find_element(By.ID, "done"))
    assert done.text.startswith("Đã lập xong 7 tệp."), done.text
    shot(browser, tmp_path, "06-ket-qua.png")
    browser.find_element(By.ID, "zip").click()
    archive = downloaded(downloads, ".zip")
    assert archive.name == "ho-so-2022-phuong-song-hien.zip"
    names = zipfile.ZipFile(archive).namelist()
    assert "2022/phuong-song-hien/01-to-trinh.docx" in names and len(names) == 7

    # 5. a PDF preview in the page
    if shutil.which("soffice"):
        browser.find_elements(By.LINK_TEXT, "Xem PDF")[0].click()
        frame = until(browser, lambda d: d.find_element(By.ID, "preview"))
        kind = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch(arguments[0].src).then(r => r.arrayBuffer().then(b => done("
            "[r.headers.get('content-type'), new TextDecoder().decode(b.slice(0, 5))])));",
            frame,
        )
        assert kind == ["application/pdf", "%PDF-"]
        time.sleep(3)  # the viewer draws the first page
        shot(browser, tmp_path, "07-xem-pdf.png")

    # the other screens, to be looked at
    browser.find_element(By.LINK_TEXT, "Lập văn bản").click()
    until(browser, lambda d: d.current_url.endswith("/lap-van-ban"))
    assert "Hồ sơ đề nghị khen thưởng" in body(browser)
    shot(browser, tmp_path, "08-lap-van-ban.png")
    # 6. the register: record the round's signed decision, find an awardee, open its history
    browser.find_element(By.LINK_TEXT, "Sổ khen thưởng").click()
    until(browser, lambda d: d.current_url.endswith("/so-khen-thuong"))
    form = browser.find_element(By.ID, "form-record")
    Select(form.find_element(By.NAME, "round")).select_by_visible_text("năm 2022")
    form.find_element(By.NAME, "number").send_keys("1205")
    form.find_element(By.NAME, "date").send_keys("12/04/2023")
    form.find_element(By.ID, "record").click()
    preview = until(browser, lambda d: d.find_element(By.ID, "to-record")).text
    assert "Bế Văn Hùng" in preview
    shot(browser, tmp_path, "09-so-khen-thuong-xem-truoc.png")
    browser.find_element(By.ID, "confirm").click()
    recorded = until(browser, lambda d: d.find_element(By.ID, "recorded")).text
    assert recorded.startswith("Đã ghi Quyết định số 1205/QĐ-UBND ngày 12/4/2023: 9 tập thể"), (
        recorded
    )
    shot(browser, tmp_path, "10-so-khen-thuong-da-ghi.png")
    browser.find_element(By.ID, "search").send_keys("Bế Văn Hùng")
    browser.find_element(By.ID, "find").click()
    until(browser, lambda d: "q=" in d.current_url)
    browser.find_element(By.LINK_TEXT, "Bế Văn Hùng").click()
    until(browser, lambda d: "/so-khen-thuong/ho-so" in d.current_url)
    history = body(browser)
    assert "mã: be-van-hung Lịch sử khen thưởng" in history
    assert "Quyết định số 1205/QĐ-UBND ngày 12/4/2023 của Ủy ban nhân dân thành phố Cao Bằng" in (
        history
    )
    shot(browser, tmp_path, "11-lich-su-khen-thuong.png")
    browser.get(url + "/ket-qua/khong-co/tep/0")
    assert "Không tìm thấy trang" in body(browser)
    shot(browser, tmp_path, "12-loi.png")


def test_progress_while_documents_are_made(
    server: Server, browser: WebDriver, tmp_path: Path
) -> None:
    """Every dossier of every round: the page shows the bar, then the files."""
    browser.get(server.url.rstrip("/") + "/lap-van-ban")
    form = browser.find_element(By.ID, "form-dossier")
    form.find_element(By.NAME, "allow_ineligible").click()
    form.find_element(By.TAG_NAME, "button").click()
    until(browser, lambda d: d.find_elements(By.ID, "running") or d.find_elements(By.ID, "done"))
    done = until(browser, lambda d: d.find_element(By.ID, "done"), seconds=120)
    assert done.text.startswith("Đã lập xong 55 tệp."), done.text
