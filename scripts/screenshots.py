"""Screenshots of the portal's main pages for docs/screenshots/, so a newcomer sees the product.

Loads the seed into a throwaway SQLite database, serves it with `manage.py runserver`
on a free port, plays a short reporting round in Debian's Chromium (as the staff of
two divisions, the coordinator and the executive, through the real pages) and saves
full-page PNGs (the report and the admin page cut to their top). Your own database and
media are never touched.

    make screenshots      (or: .venv/bin/python scripts/screenshots.py)
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
workdir = Path(tempfile.mkdtemp(prefix="ita-screenshots-"))
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/screenshots.sqlite3"
os.environ["DJANGO_MEDIA_ROOT"] = str(workdir / "media")
os.environ["DJANGO_DEBUG"] = "1"  # runserver serves the static files, as with `make run`
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")

import django  # noqa: E402

django.setup()
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402
from pypdf import PdfWriter  # noqa: E402

from demo.management.commands.load_seed import DEMO_USERS  # noqa: E402
from demo.seed import load_report_data, read_seed  # noqa: E402
from ita_portal.tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from measures.models import Measure  # noqa: E402
from organizations.models import Division  # noqa: E402
from organizations.services import add_member  # noqa: E402

PASSWORD = "screenshots-only-2566"  # the database is deleted when the script ends
VIEWPORT = {"width": 1280, "height": 900}
ADMIN_THAI_FONT = """
@font-face { font-family: Sarabun; src: url("/static/fonts/Sarabun-Regular.ttf"); }
@font-face { font-family: Sarabun; src: url("/static/fonts/Sarabun-Bold.ttf"); font-weight: 700; }
:root, html[data-theme] { --font-family-primary: Sarabun, system-ui, sans-serif; }
"""
SAVE = "บันทึก"
SUBMIT = "บันทึกและส่งให้ผู้ประสานงานตรวจ"


def prepare_database() -> dict[int, int]:
    """Migrate, load the seed, create the demo users of the organization (the README's
    usernames and names) with a known password; return the measures' keys by order."""
    call_command("migrate", verbosity=0)
    seed = load_report_data(read_seed())
    org = seed.organization
    User = get_user_model()
    for username, first_name, role, division_names in DEMO_USERS:
        user = User.objects.create_user(username, password=PASSWORD, first_name=first_name)
        divisions = Division.objects.filter(organization=org, name__in=division_names)
        add_member(member=user, organization=org, role=role, divisions=list(divisions))
    return dict(Measure.objects.filter(organization=org).values_list("order", "pk"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    log = (workdir / "runserver.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"runserver stopped:\n{(workdir / 'runserver.log').read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("runserver did not start within 30 s")


def make_pdf(path: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with path.open("wb") as out:
        writer.write(out)
    return path


class Shots:
    def __init__(self, browser: Browser, base_url: str):
        self.browser = browser
        self.base_url = base_url

    def page(self) -> Page:
        context = self.browser.new_context(
            base_url=self.base_url,
            locale="th-TH",
            timezone_id="Asia/Bangkok",
            viewport=VIEWPORT,
        )
        context.set_default_timeout(15_000)
        return context.new_page()

    def log_in(self, username: str) -> Page:
        page = self.page()
        page.goto("/accounts/login/")
        page.get_by_label("ชื่อผู้ใช้").fill(username)
        page.get_by_label("รหัสผ่าน").fill(PASSWORD)
        page.locator("main").get_by_role("button", name="เข้าสู่ระบบ").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("สวัสดี")
        return page

    def shoot(self, page: Page, name: str, *, max_height: int | None = None) -> None:
        """The whole page, or its top `max_height` pixels for the very long ones."""
        page.evaluate("document.fonts.ready.then(() => true)")
        path = OUT / f"{name}.png"
        height = page.evaluate("document.documentElement.scrollHeight")
        clip = None
        if max_height and height > max_height:
            clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": max_height}
        page.screenshot(path=path, full_page=True, clip=clip, animations="disabled", caret="hide")
        print(f"  {path.relative_to(ROOT)}")


def report(
    page: Page,
    measure_pk: int,
    *,
    status: str,
    completed_on: str = "",
    text: str = "",
    reason: str = "",
    files=(),
    links: str = "",
    button: str = SUBMIT,
) -> None:
    """Fill the 12-month round's progress form of a measure and press `button`."""
    page.goto(f"/measures/{measure_pk}/round/12/")
    page.get_by_label("สถานะ").select_option(label=status)
    if completed_on:
        page.get_by_label("วันที่แล้วเสร็จ", exact=True).fill(completed_on)
    if text:
        page.get_by_label("รายละเอียดผลการดำเนินการ").fill(text)
    if reason:
        page.get_by_label("เหตุผลที่ดำเนินการไม่ได้").fill(reason)
    if files:
        page.get_by_label("แนบไฟล์หลักฐาน").set_input_files(list(files))
    if links:
        page.get_by_label("ลิงก์หลักฐาน").fill(links)
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator("main > .alert-success")).to_be_visible()


def review(page: Page, measure_pk: int, *, approve: bool, comment: str = "") -> None:
    page.goto(f"/measures/{measure_pk}/")
    form = page.locator("#review-12")
    if comment:
        form.get_by_label("ความเห็นถึงผู้รายงาน").fill(comment)
    form.get_by_role("button", name="อนุมัติ" if approve else "ส่งกลับให้แก้ไข", exact=True).click()
    expect(page.locator("main > .alert-success")).to_be_visible()


def take(shots: Shots, m: dict[int, int]) -> None:
    anonymous = shots.page()
    anonymous.goto("/accounts/login/")
    shots.shoot(anonymous, "login")

    # A 12-month round under way: staff of two divisions report, the coordinator reviews.
    supplies = shots.log_in("staff-procurement")
    report(
        supplies,
        m[3],
        status="ดำเนินการแล้วเสร็จ",
        completed_on="15/06/2566",
        text="จัดทำคู่มือการใช้ทรัพย์สินของราชการและเผยแพร่ให้บุคลากรทราบแล้ว",
    )
    staff = shots.log_in("staff")
    report(
        staff,
        m[6],
        status="ดำเนินการแล้วเสร็จ",
        completed_on="20 ส.ค. 2566",
        text="ปรับปรุงช่องทางการติดต่อสื่อสารบนเว็บไซต์และเพจของหน่วยงาน",
    )
    report(
        staff,
        m[4],
        status="อยู่ระหว่างดำเนินการ",
        text="ส่วนราชการรายงานการใช้ทรัพย์สินแล้ว 4 จาก 6 แห่ง",
        button=SAVE,
    )
    report(
        staff,
        m[5],
        status="อยู่ระหว่างดำเนินการ",
        text="จัดอบรมเรื่องการป้องกันการทุจริตไปแล้ว 1 ครั้ง",
    )
    report(
        staff,
        m[8],
        status="ไม่สามารถดำเนินการได้",
        reason="งบประมาณสำหรับการสำรวจความพึงพอใจไม่ได้รับการจัดสรรในปีนี้",
    )
    evidence = make_pdf(workdir / "ประกาศเจตจำนงสุจริต-2566.pdf")
    report(
        staff,
        m[2],
        status="ดำเนินการแล้วเสร็จ",
        completed_on="๑๘ เม.ย. ๒๕๖๖",
        text="ผู้บริหารประกาศเจตจำนงสุจริตและเผยแพร่บนเว็บไซต์ของหน่วยงานแล้ว",
        files=[evidence],
    )
    coordinator = shots.log_in("coordinator")
    review(coordinator, m[3], approve=True)
    review(coordinator, m[6], approve=True)
    review(
        coordinator,
        m[2],
        approve=False,
        comment="กรุณาแนบลิงก์หน้าเว็บไซต์ที่เผยแพร่ประกาศ (ผู้ประเมิน OIT ตรวจจากลิงก์)",
    )

    staff.goto("/")
    shots.shoot(staff, "staff-home")
    staff.goto(f"/measures/{m[2]}/")
    shots.shoot(staff, "measure")
    staff.goto(f"/measures/{m[2]}/round/12/")
    staff.get_by_label("วันที่แล้วเสร็จ", exact=True).fill("31 ก.พ. 2566")
    staff.get_by_label("ลิงก์หลักฐาน").fill("ดูที่บอร์ดหน้าสำนักงาน")
    staff.get_by_role("button", name=SAVE, exact=True).click()
    expect(staff.locator(".invalid-feedback").first).to_be_visible()
    shots.shoot(staff, "progress-form")

    coordinator.goto("/")
    shots.shoot(coordinator, "coordinator-home")
    coordinator.goto("/reports/ubon-pao/2566/6/")
    coordinator.get_by_role("button", name="เผยแพร่รายงานฉบับนี้").click()
    expect(coordinator.locator("main > .alert-success")).to_be_visible()
    coordinator.goto("/reports/ubon-pao/2566/6/")
    shots.shoot(coordinator, "report", max_height=1800)
    coordinator.goto(f"/admin/measures/measure/{m[2]}/change/")
    # The admin's stylesheet asks for the system's fonts, and this machine has no Thai
    # one: lend it the portal's own Sarabun so the picture shows what a visitor whose
    # computer has Thai fonts sees, not empty boxes.
    coordinator.add_style_tag(content=ADMIN_THAI_FONT)
    shots.shoot(coordinator, "admin-measure", max_height=2000)

    executive = shots.log_in("executive")
    executive.goto("/dashboard/ubon-pao/2566/12/")
    shots.shoot(executive, "dashboard")

    anonymous.goto("/p/ubon-pao/")
    shots.shoot(anonymous, "public-reports")


def main() -> None:
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: run `make install`")
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        measures = prepare_database()
        port = free_port()
        server = start_server(port)
        try:
            print(f"Screenshots of http://127.0.0.1:{port}/ (throwaway database in {workdir}):")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    take(Shots(browser, f"http://127.0.0.1:{port}"), measures)
                finally:
                    browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
