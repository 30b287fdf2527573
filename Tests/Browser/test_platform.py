"""End-to-end acceptance tests of the THADS platform in a real (headless) Chromium.

One ordered module: the first test takes the freshly started server's printed admin through the first
login; the later tests reuse that admin's browser session (each actor keeps its own browser, so nobody
has to enter a second TOTP code). Run through Tests/Browser/run.sh, which starts a server on a fresh
data directory and sets BASE_URL, ADMIN_PASSWORD and DATA_DIR.
"""

import datetime
import functools
import os
import re
import subprocess
import time
import unittest
import uuid

from selenium.webdriver.common.by import By

import case_flow
import officer_flow
import online_flow
import receipt_flow
import thads_browser as tb
from thads_browser import Actor

ADMIN_NEW_PASSWORD = "Tr0ng-Dong!Xanh#2026"
LOCAL_ADMIN_PASSWORD = "Song-H0ng!Phu#Sa2026"
USER_PASSWORD = "hoa sen tr0ng ho 47"  # avoids name fragments such as "van" (Văn)
RUN = uuid.uuid4().hex[:6]
# Names may not contain digits: the same run marker spelled in letters.
RUN_NAME = "".join("ABCDEGHIKLMNOPQT"[int(c, 16)] for c in RUN[:4]).capitalize()

LOGIN_ERROR = "Tên đăng nhập hoặc mật khẩu không đúng"


def national_id():
    return str(uuid.uuid4().int)[:12].rjust(12, "1")


def dumps_on_failure(method):
    """On failure, saves a screenshot and the HTML of every open browser as FAILED-<test>-<actor>.*"""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except unittest.SkipTest:
            raise
        except Exception:
            for actor in list(PlatformTests.actors.values()):
                actor.dump(method.__name__)
            raise
    return wrapper


class PlatformTests(unittest.TestCase):
    actors = {}
    state = {}

    @classmethod
    def setUpClass(cls):
        tb.env("BASE_URL")
        tb.env("ADMIN_PASSWORD")
        tb.env("DATA_DIR")

    @classmethod
    def tearDownClass(cls):
        for actor in cls.actors.values():
            actor.quit()
        cls.actors.clear()

    def actor(self, label):
        if label not in self.actors:
            self.actors[label] = Actor(label)
        return self.actors[label]

    def require(self, *keys):
        missing = [key for key in keys if key not in self.state]
        if missing:
            self.skipTest(f"needs the earlier step(s) that set {missing}; see the first failure above")

    # ------------------------------------------------------------------ (1) first start

    @dumps_on_failure
    def test_1_first_start_admin_changes_password_and_enrols_totp(self):
        admin = self.actor("admin")
        admin.open("/")
        admin.wait_path("/dang-nhap")
        html = admin.driver.find_element(By.TAG_NAME, "html")
        self.assertEqual(html.get_attribute("lang"), "vi", "the login page must declare lang=vi")
        self.assertEqual(admin.h1(), "Đăng nhập", "the login page heading must be Vietnamese")
        page = admin.text()
        for label in ("Tên đăng nhập", "Mật khẩu"):
            self.assertIn(label, page, f"the login page must show the label “{label}”")
        self.assertIn("Đăng nhập", admin.driver.title)
        admin.shot("trang-dang-nhap")

        # A wrong password is refused with the generic message.
        admin.login("admin", "sai-mat-khau")
        self.assertIn(LOGIN_ERROR, admin.text(), "a wrong password must show the generic login error")

        admin.login("admin", tb.ADMIN_PASSWORD)
        admin.wait_path("/mat-khau/doi")
        self.assertIn("Bạn cần đổi mật khẩu", admin.text(), "the forced change must say why")
        # Until the password is changed, other pages lead back to the change form.
        admin.open("/don-vi")
        admin.wait_path("/mat-khau/doi")
        admin.change_password(tb.ADMIN_PASSWORD, ADMIN_NEW_PASSWORD)

        # Then TOTP enrolment is required before anything else.
        admin.wait_path("/mfa/dang-ky")
        admin.open("/")
        admin.wait_path("/mfa/dang-ky")
        secret, codes = admin.enrol_totp()
        self.assertEqual(len(set(codes)), 10, "the 10 recovery codes must differ")
        self.assertTrue(admin.h1().startswith("Xin chào,"), f"home heading was {admin.h1()!r}")
        self.assertTrue(admin.driver.find_elements(By.XPATH, "//header//button[normalize-space(.)='Đăng xuất']"),
                        "the header must offer “Đăng xuất”")
        admin.shot("trang-chu")
        self.state["admin_secret"] = secret

    # ------------------------------------------------------------------ (2) two-tier flow

    @dumps_on_failure
    def test_2_two_tier_account_flow(self):
        self.require("admin_secret")
        admin = self.actor("admin")

        # The admin creates the regional office 01-01 under Hà Nội (01).
        admin.open("/don-vi")
        admin.wait_path("/don-vi")
        row = admin.driver.find_elements(By.XPATH, "//table//tr[td[normalize-space(.)='01']]//a")
        self.assertTrue(row, "the units list must show the province with code 01")
        province_name = row[0].text.strip()
        self.assertIn("Hà Nội", province_name)
        row[0].click()
        admin.wait_path(re.compile(r"/don-vi/[0-9A-Fa-f-]{36}"))
        province_path = admin.path
        admin.submit("Tạo đơn vị", code="01-01", name=f"Phòng Thi hành án dân sự khu vực 1 - Hà Nội")
        self.assertNotIn("alert error", admin.driver.page_source, f"creating 01-01 failed: {admin.text()[:500]}")
        admin.open(province_path)
        self.assertTrue(
            admin.driver.find_elements(By.XPATH, "//table//tr[td[normalize-space(.)='01-01']]"),
            f"the province page must list the new regional office 01-01: {admin.text()[:800]}")
        admin.shot("don-vi-01-01")

        # The admin creates a local admin for Hà Nội; the one-time password goes out by mail.
        local_username = f"qthn{RUN}"
        local_email = f"{local_username}@thads.moj.gov.vn"
        since = time.time()
        admin.open("/tai-khoan/moi")
        form = admin.form_with_button("Lưu")
        admin.fill(form, username=local_username, fullName="Trần Thị Bình", email=local_email,
                   nationalID=national_id(), position="Chuyên viên quản trị", accountClass="localAdmin",
                   note="Quản trị viên cấp tỉnh Hà Nội")
        admin.select_option_starting(form, "unitID", "01 · ")
        admin.shot("tao-quan-tri-dia-phuong")
        admin.submit("Lưu")
        self.assertNotEqual(admin.path, "/tai-khoan/moi",
                            f"creating the local admin was refused: {admin.text()[:800]}")
        body = tb.read_link_mail(local_email)
        self.assertEqual(tb.username_in_mail(body), local_username, "the mail must name the account")
        self.assertEqual(tb.mails_to(local_email), 1, "the mail directory keeps the message, without the link")

        # The local admin sets a password through the mailed link, then signs in: enrol TOTP, home.
        local = self.actor("local")
        local.set_password_by_link(tb.password_link(body), LOCAL_ADMIN_PASSWORD)
        local.login(local_username, LOCAL_ADMIN_PASSWORD)
        local.enrol_totp()
        self.assertEqual(local.h1(), "Xin chào, Trần Thị Bình")
        local.shot("trang-chu")
        self.state["local"] = local_username

        # The local admin requests an enforcement-officer account in the regional office.
        officer_username = f"chvhn{RUN}"
        officer_email = f"{officer_username}@thads.moj.gov.vn"
        officer_name = f"Lê Văn Cường {RUN_NAME}"
        local.open("/tai-khoan/moi")
        self.assertEqual(local.h1(), "Đề nghị tạo tài khoản")
        form = local.form_with_button("Gửi đề nghị")
        local.fill(form, username=officer_username, fullName=officer_name, email=officer_email,
                   nationalID=national_id(), position="Chấp hành viên", accountClass="internalUser",
                   **{"roles[]": ["enforcementOfficer"]}, note="Chấp hành viên mới được bổ nhiệm")
        local.select_option_starting(form, "unitID", "01-01 · ")
        local.shot("de-nghi-tai-khoan")
        local.submit("Gửi đề nghị")
        local.wait_path("/de-nghi")
        row = local.driver.find_elements(By.XPATH, f"//table//tr[td[contains(., '{officer_name}')]]")
        self.assertTrue(row, f"/de-nghi must list the request for {officer_name}: {local.text()[:800]}")
        self.assertIn("Chờ", row[0].text, f"the new request must be pending: {row[0].text!r}")
        local.shot("danh-sach-de-nghi")

        # Before approval the new user cannot log in, and no mail has gone out.
        self.assertEqual(tb.mails_to(officer_email), 0, "no mail may be sent before approval")
        user = self.actor("user")
        user.login(officer_username, USER_PASSWORD)
        self.assertEqual(user.path, "/dang-nhap")
        self.assertIn(LOGIN_ERROR, user.text(), "a pending account must get the generic login error")
        user.shot("chua-duyet-khong-dang-nhap-duoc")
        status, _ = tb.login_status(officer_username, USER_PASSWORD)
        self.assertEqual(status, 401, "a refused login must answer HTTP 401")

        # The central admin approves it from the queue.
        since = time.time()
        admin.open("/phe-duyet")
        link = admin.driver.find_elements(
            By.XPATH, f"//table//tr[td[contains(., '{officer_name}')]]//a[contains(@href, '/phe-duyet/')]")
        self.assertTrue(link, f"the approval queue must list {officer_name}: {admin.text()[:800]}")
        link[0].click()
        admin.wait_path(re.compile(r"/phe-duyet/[0-9A-Fa-f-]{36}"))
        self.assertIn(officer_username, admin.text())
        admin.shot("chi-tiet-de-nghi")
        admin.submit("Phê duyệt")
        admin.wait_path("/phe-duyet")
        self.assertIn("Đã phê duyệt", admin.text())
        self.assertFalse(admin.driver.find_elements(By.XPATH, f"//table//tr[td[contains(., '{officer_name}')]]"),
                         "an approved request must leave the queue")
        admin.shot("da-phe-duyet")

        # The new user sets a password through the mailed link, signs in and uses the platform.
        body = tb.read_link_mail(officer_email)
        self.assertEqual(tb.username_in_mail(body), officer_username)
        user.set_password_by_link(tb.password_link(body), USER_PASSWORD)
        user.login(officer_username, USER_PASSWORD)
        user.wait_path("/")
        self.assertEqual(user.h1(), f"Xin chào, {officer_name}")
        self.state["officer_name"] = officer_name
        user.shot("trang-chu")
        user.open("/phien")
        user.wait_path("/phien")
        self.assertTrue(user.driver.find_elements(By.CSS_SELECTOR, "main table tbody tr"),
                        f"/phien must list at least the current session: {user.text()[:600]}")
        user.shot("phien")

        # The request shows as approved on the local admin's list.
        local.open("/de-nghi")
        row = local.driver.find_elements(By.XPATH, f"//table//tr[td[contains(., '{officer_name}')]]")
        self.assertTrue(row and "duyệt" in row[0].text, f"the request must show as approved: {local.text()[:600]}")

    # ------------------------------------------------------------------ (3) rejection

    @dumps_on_failure
    def test_3_rejected_request_shows_reason(self):
        self.require("admin_secret", "local")
        admin, local = self.actor("admin"), self.actor("local")
        name = f"Phạm Thị Dung {RUN_NAME}"
        username = f"tkhn{RUN}"
        reason = f"Thiếu quyết định bổ nhiệm (lần {RUN})"

        local.open("/tai-khoan/moi")
        form = local.form_with_button("Gửi đề nghị")
        local.fill(form, username=username, fullName=name, email=f"{username}@thads.moj.gov.vn",
                   nationalID=national_id(), position="Thư ký", accountClass="internalUser",
                   **{"roles[]": ["secretary"]}, note="Thư ký thi hành án mới")
        local.select_option_starting(form, "unitID", "01 · ")
        local.submit("Gửi đề nghị")
        local.wait_path("/de-nghi")

        admin.open("/phe-duyet")
        link = admin.driver.find_elements(
            By.XPATH, f"//table//tr[td[contains(., '{name}')]]//a[contains(@href, '/phe-duyet/')]")
        self.assertTrue(link, f"the approval queue must list {name}: {admin.text()[:800]}")
        link[0].click()
        admin.wait_path(re.compile(r"/phe-duyet/[0-9A-Fa-f-]{36}"))
        admin.submit("Từ chối", reason=reason)
        admin.wait_path("/phe-duyet")
        self.assertIn("Đã từ chối", admin.text())
        admin.shot("da-tu-choi")

        local.open("/de-nghi")
        rows = local.driver.find_elements(By.XPATH, f"//table//tr[td[contains(., '{name}')]]")
        self.assertTrue(rows, f"/de-nghi must still list the rejected request: {local.text()[:800]}")
        reason_cells = rows[0].find_elements(By.CSS_SELECTOR, "td.reason")
        shown = reason_cells[0].text.strip() if reason_cells else rows[0].text
        self.assertIn(reason, shown, "the local admin must see the rejection reason in “Lý do từ chối”")
        self.assertIn("từ chối", rows[0].text.lower(), f"the status must say rejected: {rows[0].text!r}")
        local.shot("de-nghi-bi-tu-choi")

        # A rejected account does not exist: it cannot log in.
        status, _ = tb.login_status(username, USER_PASSWORD)
        self.assertEqual(status, 401)

    # ------------------------------------------------------------------ (4) calendar, parameters, audit

    @dumps_on_failure
    def test_4_calendar_and_parameters_are_audited(self):
        self.require("admin_secret")
        admin = self.actor("admin")

        # A day off on the working-day calendar.
        admin.open("/lich")
        admin.wait_path("/lich")
        year_match = re.search(r"(19|20|21)\d\d", admin.h1()) or re.search(r"\b(20\d\d)\b", admin.text())
        year = int(year_match.group(0)) if year_match else datetime.date.today().year
        section = admin.driver.find_element(By.XPATH, "//form[.//h3[normalize-space(.)='Thêm ngày nghỉ']]")
        # A Wednesday in October: an ordinary working day with no holiday.
        day = datetime.date(year, 10, 1)
        while day.weekday() != 2:
            day += datetime.timedelta(days=1)
        day += datetime.timedelta(days=7 * (int(RUN, 16) % 3))
        date_text = day.strftime("%d/%m/%Y")
        reason = f"Nghỉ bù kiểm thử {RUN}"
        admin.submit("Thêm ngày nghỉ", scope=section, date=date_text, reason=reason)
        self.assertEqual(admin.path, "/lich", f"adding the day off was refused: {admin.text()[:800]}")
        self.assertIn(reason, admin.text(), "the calendar must show the new day off with its reason")
        admin.shot("lich-ngay-nghi")

        # A legal parameter edited on /tham-so.
        admin.open("/tham-so")
        edit_links = admin.driver.find_elements(By.LINK_TEXT, "Sửa")
        self.assertTrue(edit_links, "/tham-so must offer “Sửa” links to a central admin")
        edit_links[0].click()
        admin.wait_path(re.compile(r"/tham-so/[0-9A-Fa-f-]{36}/sua"))
        form = admin.form_with_button("Lưu")
        old_value = form.find_element(By.NAME, "value").get_attribute("value")
        new_value = str(int(old_value) + 1) if re.fullmatch(r"\d+", old_value or "") else old_value
        source = form.find_element(By.NAME, "source").get_attribute("value") or "Nghị định kiểm thử"
        admin.fill(form, value=new_value, source=source, verified="true",
                   note=f"Kiểm thử trình duyệt {RUN}: cập nhật theo văn bản mới")
        admin.shot("sua-tham-so")
        edit_path = admin.path
        admin.submit("Lưu")
        admin.wait_path("/tham-so")
        self.assertIn("thongbao=da-luu", admin.driver.current_url, "saving must come back with a notice")
        admin.shot("tham-so-da-luu")
        admin.open(edit_path)
        saved = admin.form_with_button("Lưu").find_element(By.NAME, "value").get_attribute("value")
        self.assertEqual(saved, new_value, "the edited parameter must keep the new value")

        # Both changes are in the audit log.
        for action in ("calendar.dayOffAdded", "legalParameter.updated"):
            admin.open("/nhat-ky?action=" + action)
            admin.wait_path("/nhat-ky")
            cells = [c.text.strip() for c in admin.driver.find_elements(By.CSS_SELECTOR, "table td code")]
            self.assertIn(action, cells, f"the audit log must show {action}; it shows {sorted(set(cells))[:20]}")
            row = admin.driver.find_element(By.XPATH, f"//table//tr[td/code[normalize-space(.)='{action}']]")
            self.assertIn("admin", row.text, f"the {action} event must name the actor admin: {row.text!r}")
            admin.shot("nhat-ky-" + action.replace(".", "-"))
        admin.open("/nhat-ky?action=calendar.")
        self.assertIn(reason, admin.text(), "the calendar audit event must carry the day off's reason")
        admin.open("/nhat-ky?action=legalParameter.")
        self.assertIn(f"Kiểm thử trình duyệt {RUN}", admin.text(), "the parameter audit event must carry the reason")

        # The admin logs out.
        admin.logout()
        admin.wait_path("/dang-nhap")
        admin.open("/nhat-ky")
        admin.wait_path("/dang-nhap")
        admin.shot("da-dang-xuat")

    # ------------------------------------------------------------------ (5) signing in again with TOTP

    @dumps_on_failure
    def test_5_admin_signs_in_again_with_totp_and_replay_is_refused(self):
        self.require("admin_secret")
        admin = self.actor("admin2")
        admin.used_totp_steps = self.actor("admin").used_totp_steps  # the same account

        admin.login("admin", ADMIN_NEW_PASSWORD)
        admin.wait_path("/mfa")
        admin.open("/")
        admin.wait_path("/mfa")
        code = tb.fresh_totp(self.state["admin_secret"], admin.used_totp_steps)
        admin.shot("nhap-ma-mfa")
        admin.submit_first_form(code=code)
        admin.wait_path("/")
        self.assertTrue(admin.h1().startswith("Xin chào,"), f"home heading was {admin.h1()!r}")
        admin.logout()
        admin.wait_path("/dang-nhap")

        # The same code again (same time step) is a replay and must be refused.
        admin.login("admin", ADMIN_NEW_PASSWORD)
        admin.wait_path("/mfa")
        admin.submit_first_form(code=code)
        self.assertEqual(admin.path, "/mfa", "a TOTP code must not be accepted twice")
        errors = admin.driver.find_elements(By.CSS_SELECTOR, "main .field-error")
        self.assertTrue(errors and errors[0].text.strip(), f"a refused code must show an error: {admin.text()[:400]}")
        admin.shot("ma-mfa-da-dung")

    # ------------------------------------------------------------------ (6) a case from entry to completion

    @dumps_on_failure
    def test_6_a_case_is_walked_from_judgment_entry_to_completion(self):
        self.require("admin_secret", "local", "officer_name")
        admin = self.actor("admin3")
        admin.used_totp_steps = self.actor("admin").used_totp_steps
        admin.used_totp_steps.update(self.actor("admin2").used_totp_steps)
        admin.login("admin", ADMIN_NEW_PASSWORD)
        admin.wait_path("/mfa")
        admin.submit_first_form(code=tb.fresh_totp(self.state["admin_secret"], admin.used_totp_steps))
        admin.wait_path("/")
        head_username = f"tphn{RUN}"
        head = case_flow.make_head(
            self, admin, self.actor("local"), head_username, f"Đỗ Minh Khang {RUN_NAME}",
            f"{head_username}@thads.moj.gov.vn", USER_PASSWORD)
        case_flow.walk_case(self, self.actor("user"), head, self.state["officer_name"], RUN)

    @dumps_on_failure
    def test_7_a_debtor_without_conditions_is_published_and_taken_down(self):
        self.require("officer_name")
        case_flow.walk_debtor_publication(
            self, self.actor("user"), self.actor("visitor"), self.state["officer_name"], RUN, RUN_NAME)

    @dumps_on_failure
    def test_8_citizens_file_online_requests_and_staff_take_them_through_the_steps(self):
        self.require("admin_secret", "local")
        admin = self.actor("admin4")
        for label in ("admin", "admin2", "admin3", "admin4", "admin9", "admin10"):
            if label in self.actors:
                admin.used_totp_steps.update(self.actors[label].used_totp_steps)
        admin.login("admin", ADMIN_NEW_PASSWORD)
        admin.wait_path("/mfa")
        admin.submit_first_form(code=tb.fresh_totp(self.state["admin_secret"], admin.used_totp_steps))
        admin.wait_path("/")
        online_flow.walk_online_support(self, admin, self.actor("local"), RUN, RUN_NAME, USER_PASSWORD)

    @dumps_on_failure
    def test_10_a_collection_gets_a_signed_receipt_that_is_checked_cancelled_and_replaced(self):
        # The mail is read from the .eml files the server writes (run.sh starts it without SMTP_URL).
        self.require("admin_secret", "local", "officer_name")
        admin = self.actor("admin10")
        for label in ("admin", "admin2", "admin3", "admin4", "admin9", "admin10"):
            if label in self.actors:
                admin.used_totp_steps.update(self.actors[label].used_totp_steps)
        admin.login("admin", ADMIN_NEW_PASSWORD)
        admin.wait_path("/mfa")
        admin.submit_first_form(code=tb.fresh_totp(self.state["admin_secret"], admin.used_totp_steps))
        admin.wait_path("/")
        username = f"kthn{RUN}"
        accountant = receipt_flow.make_accountant(
            self, admin, self.actor("local"), username, f"Vũ Thị Kế {RUN_NAME}", f"{username}@thads.moj.gov.vn",
            USER_PASSWORD)
        receipt_flow.walk_receipts(
            self, admin, accountant, self.actor("user"), self.actor("visitor10"), self.state["officer_name"], RUN,
            RUN_NAME)

    # ------------------------------------------------------------------ (9) backup and restore drill (issue 21)

    @dumps_on_failure
    def test_9_a_backup_drill_from_the_command_line_shows_on_the_operator_page(self):
        self.require("admin_secret")
        binary = tb.env("THADS_BIN")
        data_dir = tb.env("DATA_DIR")
        backups = data_dir + "-backups"
        # The repository and its password live outside the data directory, as docs/operations.md asks.
        command_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SMTP_URL")}
        command_env.update(
            THADS_DATA_DIR=data_dir, BACKUP_REPOSITORY=backups + "/repo", BACKUP_PASSWORD_FILE=backups + "/password",
            LOG_LEVEL="error")

        def thads(*args):
            result = subprocess.run(
                [binary, *args], env=command_env, capture_output=True, text=True, timeout=600)
            self.assertEqual(result.returncode, 0, f"thads {' '.join(args)}: {result.stdout}{result.stderr}")
            return result.stdout

        try:
            self.assertIn("OK:", thads("backup", "run", "--kind", "full"))
            drill = thads("backup", "drill")
            self.assertIn("OK:", drill)
            self.assertIn("SHA-256", drill)
            # A session of its own: the first admin's may have been ended by the later sign-ins of the same account.
            admin = self.actor("admin9")
            for label in ("admin", "admin2", "admin3", "admin4", "admin9", "admin10"):
                if label in self.actors:
                    admin.used_totp_steps.update(self.actors[label].used_totp_steps)
            admin.login("admin", ADMIN_NEW_PASSWORD)
            admin.wait_path("/mfa")
            admin.submit_first_form(code=tb.fresh_totp(self.state["admin_secret"], admin.used_totp_steps))
            admin.wait_path("/")
            admin.open("/van-hanh")
            admin.wait_path("/van-hanh")
            last_drill = admin.driver.find_element(By.ID, "last-drill").text
            self.assertIn("Lần diễn tập thành công gần nhất", last_drill)
            self.assertNotIn("chưa có", last_drill)
            self.assertIn("bảng khớp số dòng", last_drill)
            self.assertFalse(admin.driver.find_elements(By.ID, "drill-warning"), "a fresh drill raises no warning")
            log = admin.driver.find_element(By.ID, "backup-log").text
            self.assertIn("Diễn tập khôi phục", log)
            self.assertIn("Toàn bộ (hằng tuần)", log)
            admin.shot("van-hanh-dien-tap")
        finally:
            subprocess.run(["rm", "-rf", backups], check=False)

    # ------------------------------------------------------------------ (11) officers' daily work (issue 20)

    @dumps_on_failure
    def test_11_officers_daily_work_and_every_page_fits_a_phone(self):
        self.require("admin_secret", "officer_name")
        if "head" not in self.actors:
            self.skipTest("needs the head of test 6")
        officer, head = self.actor("user"), self.actor("head")
        case_path, _ = officer_flow.walk_daily_work(
            self, officer, head, self.state["officer_name"], f"chvhn{RUN}", USER_PASSWORD, RUN)
        admin = self.actor("admin11")
        for label in ("admin", "admin2", "admin3", "admin4", "admin9", "admin10", "admin11"):
            if label in self.actors:
                admin.used_totp_steps.update(self.actors[label].used_totp_steps)
        admin.login("admin", ADMIN_NEW_PASSWORD)
        admin.wait_path("/mfa")
        admin.submit_first_form(code=tb.fresh_totp(self.state["admin_secret"], admin.used_totp_steps))
        admin.wait_path("/")
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        officer_flow.check_widths(
            self, [("chap-hanh-vien", officer), ("thu-truong", head), ("quan-tri", admin)], case_path, root)


def load_tests(loader, standard_tests, pattern):
    """Runs the steps in their numeric order (unittest sorts names as text, which puts test_10 before test_1_)."""
    def number(test):
        match = re.match(r"test_(\d+)_", getattr(test, "_testMethodName", ""))
        return int(match.group(1)) if match else 0

    flat = []

    def walk(suite):
        for item in suite:
            if isinstance(item, unittest.TestSuite):
                walk(item)
            else:
                flat.append(item)

    walk(standard_tests)
    return unittest.TestSuite(sorted(flat, key=number))


if __name__ == "__main__":
    unittest.main(verbosity=2)
