"""The case registry walked in a real browser (issue 4's acceptance test), used by test_platform.test_6.

An enforcement officer of regional office 01-01 enters a judgment and opens a case, sees the duplicate warning
when the same judgment is entered again, adds the parties and the obligation, records a verification and the
money collected and paid out, asks for a correction of the amount that waits for the head, and completes the
case once the head has approved it; the history then shows the amount before and after.
"""

import datetime
import re
import time

from selenium.webdriver.common.by import By

import thads_browser as tb

CASE_PATH = re.compile(r"/ho-so/[0-9A-Fa-f-]{36}")


def vietnam_today():
    """The platform's working day (Asia/Ho_Chi_Minh), not the test machine's."""
    return datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7))).date()


def d(day):
    return day.strftime("%d/%m/%Y")


def make_head(test, admin, local, username, name, email, password):
    """The local admin requests a unit head for 01-01, the central admin approves, the head signs in and enrols."""
    local.open("/tai-khoan/moi")
    form = local.form_with_button("Gửi đề nghị")
    local.fill(form, username=username, fullName=name, email=email, nationalID=str(int(time.time() * 1000))[-12:],
               position="Trưởng phòng", accountClass="internalUser", **{"roles[]": ["head"]},
               note="Thủ trưởng đơn vị khu vực 1")
    local.select_option_starting(form, "unitID", "01-01 · ")
    local.submit("Gửi đề nghị")
    local.wait_path("/de-nghi")

    since = time.time()
    admin.open("/phe-duyet")
    link = admin.driver.find_elements(
        By.XPATH, f"//table//tr[td[contains(., '{name}')]]//a[contains(@href, '/phe-duyet/')]")
    test.assertTrue(link, f"the approval queue must list {name}: {admin.text()[:600]}")
    link[0].click()
    admin.wait_path(re.compile(r"/phe-duyet/[0-9A-Fa-f-]{36}"))
    admin.submit("Phê duyệt")
    admin.wait_path("/phe-duyet")

    body = tb.read_link_mail(email)
    head = test.actor("head")
    head.set_password_by_link(tb.password_link(body), password)
    head.login(username, password)
    head.enrol_totp()
    return head


def open_case_form(officer, number, officer_name, today):
    officer.open("/ho-so/moi")
    form = officer.form_with_button("Lưu và cấp mã hồ sơ")
    officer.fill(form, courtCode="TAND-01", number=number, judgmentDate=d(today - datetime.timedelta(days=60)),
                 kindCode="DS", effectiveDate=d(today - datetime.timedelta(days=30)), receivedOn=d(today),
                 startMode="exOfficio", **{"qd-number": "15/QĐ-CCTHADS", "qd-decidedOn": d(today),
                                           "qd-groundCode": "L106-ENFORCE", "qd-signer": "Trần Văn Thủ"})
    officer.select_option_starting(form, "officerID", officer_name)
    return form


def add_on_tab(test, officer, case_path, tab, form_id, **fields):
    officer.open(f"{case_path}?tab={tab}")
    form = officer.driver.find_element(By.ID, form_id)
    officer.submit("Lưu", scope=form, **fields)
    test.assertNotIn("field-error", officer.driver.page_source,
                     f"{form_id} was refused: {[e.text for e in officer.driver.find_elements(By.CSS_SELECTOR, '.field-error')]}")
    test.assertIn("Đã lưu", officer.text())


def walk_case(test, officer, head, officer_name, run):
    today = vietnam_today()
    number = f"{int(run, 16) % 900 + 100}/2026/DS-ST"

    # Entry: the judgment, the case and its enforcement decision in one form.
    open_case_form(officer, number, officer_name, today)
    officer.shot("thu-ly-ho-so")
    officer.submit("Lưu và cấp mã hồ sơ")
    officer.wait_path(CASE_PATH)
    case_path = officer.path
    test.assertIn("Đã thụ lý", officer.driver.find_element(By.ID, "case-status").text)
    code = officer.h1().replace("Hồ sơ ", "")
    test.assertRegex(code, r"^01-01/\d{4}/\d{6}$")
    officer.shot("ho-so-moi")

    # The same judgment typed differently: the first case is shown, nothing is saved.
    open_case_form(officer, " " + number.lower().replace("/", " / ") + " ", officer_name, today)
    officer.submit("Lưu và cấp mã hồ sơ")
    test.assertEqual(officer.path, "/ho-so/moi", "a second entry of the same judgment must stop for confirmation")
    warning = officer.driver.find_element(By.ID, "duplicate-warning")
    test.assertIn(code, warning.text)
    test.assertTrue(warning.find_elements(By.XPATH, f".//a[@href='{case_path}']"), "the warning links the first case")
    officer.shot("canh-bao-trung-ban-an")

    # Parties, obligation, verification, money.
    add_on_tab(test, officer, case_path, "duong-su", "form-party", role="debtor", kind="person",
               fullName="Phạm Văn Nợ", birthYear="1979", idNumber="001079004321", address="8 Hàng Gai, Hà Nội")
    add_on_tab(test, officer, case_path, "duong-su", "form-party", role="creditor", kind="person",
               fullName="Vũ Thị Được", birthYear="1982", address="3 Hàng Đào, Hà Nội")
    test.assertIn("001079004321", officer.text(), "the officer sees the whole ID number (others see it masked)")
    add_on_tab(test, officer, case_path, "nghia-vu", "form-obligation", kindCode="AN-PHI", mode="money",
               amount="10.000.000", beneficiary="stateBudget")
    add_on_tab(test, officer, case_path, "xac-minh", "form-verification", outcome="meansFound",
               verifiedOn=d(today), findings="Có tài khoản tại ngân hàng")
    test.assertIn("Có điều kiện thi hành", officer.driver.find_element(By.ID, "case-status").text)
    add_on_tab(test, officer, case_path, "nghia-vu", "form-money", direction="collected", amount="10.000.000",
               occurredOn=d(today), reference="BL-0001")
    add_on_tab(test, officer, case_path, "nghia-vu", "form-money", direction="paidOut", amount="10.000.000",
               occurredOn=d(today), reference="PC-0001")
    officer.shot("nghia-vu-thu-chi")

    # A correction of the amount waits for the head.
    officer.open(f"{case_path}?tab=nghia-vu")
    officer.driver.find_element(By.XPATH, "//table[@id='obligations']//a[normalize-space(.)='Hiệu chỉnh']").click()
    officer.wait_path(re.compile(r"/ho-so/[0-9A-Fa-f-]{36}/sua/obligation/[0-9A-Fa-f-]{36}"))
    officer.submit("Gửi hiệu chỉnh", amount="12.000.000", reasonCode="CR-AMENDMENT",
                   reasonNote="Quyết định đính chính số 3/QĐ-TA")
    test.assertIn("chờ", officer.text().lower(), "the officer is told the correction waits for approval")
    test.assertFalse(officer.driver.find_elements(By.CSS_SELECTOR, "table#history tbody tr"),
                     "nothing is in the history before approval")
    officer.shot("hieu-chinh-cho-duyet")

    head.open("/hieu-chinh")
    row = head.driver.find_element(By.XPATH, f"//table[@id='correction-queue']//tr[td//a[normalize-space(.)='{code}']]")
    test.assertIn("10.000.000 đ → 12.000.000 đ", row.text)
    head.shot("hang-doi-hieu-chinh")
    head.submit("Duyệt", scope=row)
    test.assertIn("Đã duyệt", head.text())

    # The rest of the money, then completion.
    add_on_tab(test, officer, case_path, "nghia-vu", "form-money", direction="collected", amount="2.000.000",
               occurredOn=d(today), reference="BL-0002")
    add_on_tab(test, officer, case_path, "nghia-vu", "form-money", direction="paidOut", amount="2.000.000",
               occurredOn=d(today), reference="PC-0002")
    add_on_tab(test, officer, case_path, "quyet-dinh", "form-decision", decisionKind="completion",
               number="40/QĐ-CCTHADS", decidedOn=d(today), groundCode="L106-COMPLETE", signer="Trần Văn Thủ")
    test.assertIn("Thi hành xong", officer.driver.find_element(By.ID, "case-status").text)
    test.assertFalse(officer.driver.find_elements(By.ID, "open-warnings"), "a completed, consistent case has no warnings")

    officer.open(f"{case_path}?tab=lich-su")
    history = officer.driver.find_element(By.ID, "history")
    rows = history.find_elements(By.XPATH, ".//tbody/tr[td[normalize-space(.)='Số tiền']]")
    test.assertTrue(rows, f"the history must show the amount's change: {history.text}")
    test.assertEqual(rows[0].find_element(By.CSS_SELECTOR, "td.before").text, "10.000.000 đ")
    test.assertEqual(rows[0].find_element(By.CSS_SELECTOR, "td.after").text, "12.000.000 đ")
    test.assertIn("đính chính", rows[0].text)
    officer.shot("lich-su-ho-so")
    return case_path


def folded(text):
    """The name as someone types it without marks: what the public search must still find."""
    import unicodedata
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in plain if not unicodedata.combining(c)).lower()


def walk_debtor_publication(test, officer, visitor, officer_name, run, run_name):
    """Issue 18's acceptance test: a no-conditions decision publishes the debtor on the public portal, found by the
    name typed without marks; new means take the entry down; the publication log shows both events."""
    today = vietnam_today()
    number = f"{int(run, 16) % 900 + 100}/2026/HC-ST"
    debtor = f"Lương Thị Hằng {run_name}"
    open_case_form(officer, number, officer_name, today)
    officer.submit("Lưu và cấp mã hồ sơ")
    officer.wait_path(CASE_PATH)
    case_path = officer.path
    add_on_tab(test, officer, case_path, "duong-su", "form-party", role="debtor", kind="person",
               fullName=debtor, birthYear="1968", idNumber="001168004322", address="21 Lò Sũ, Hà Nội")
    add_on_tab(test, officer, case_path, "nghia-vu", "form-obligation", kindCode="AN-PHI", mode="money",
               amount="3.000.000", beneficiary="stateBudget")
    add_on_tab(test, officer, case_path, "xac-minh", "form-verification", outcome="noMeans",
               verifiedOn=d(today), findings="Không có tài sản, thu nhập")
    add_on_tab(test, officer, case_path, "quyet-dinh", "form-decision", decisionKind="noConditions",
               number="41/QĐ-CCTHADS", decidedOn=d(today), groundCode="L106-NOCOND", signer="Trần Văn Thủ")
    test.assertIn("Chưa có điều kiện thi hành", officer.driver.find_element(By.ID, "case-status").text)

    search = "/cong-khai/nguoi-chua-co-dieu-kien"
    visitor.open(search)
    visitor.submit("Tra cứu", ten=folded(debtor))
    test.assertIn(debtor, visitor.text(), "the debtor is published and found without diacritics")
    test.assertNotIn("001168004322", visitor.driver.page_source)
    visitor.shot("tra-cuu-cong-khai")
    visitor.driver.find_element(By.LINK_TEXT, debtor).click()
    test.assertIn("41/QĐ-CCTHADS", visitor.text())
    test.assertNotIn("001168004322", visitor.driver.page_source, "never the ID number")
    visitor.shot("thong-tin-cong-khai")

    add_on_tab(test, officer, case_path, "xac-minh", "form-verification", outcome="meansFound",
               verifiedOn=d(today), findings="Có thu nhập từ lương")
    visitor.open(search)
    visitor.submit("Tra cứu", ten=folded(debtor))
    test.assertNotIn(debtor, visitor.text(), "new means take the entry down at once")

    officer.open("/so-chua-co-dieu-kien/nhat-ky-cong-khai")
    log = officer.text()
    test.assertIn("Công khai", log)
    test.assertIn("Rút khỏi công khai", log)
    test.assertIn("có điều kiện thi hành", log)
    officer.shot("nhat-ky-cong-khai")
