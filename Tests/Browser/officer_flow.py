"""Issue 20 in a browser: the officer's daily work (names, errors you see, reversible mistakes, duties as actions,
forms kept across an ended session) and every staff page at phone and desktop widths."""

import re
import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

import case_flow
import thads_browser as tb

WIDTHS = (390, 1366)
# Not pages: files, JSON, health checks, the draft API, the sign-out action.
NOT_PAGES = re.compile(r"^/(static|api|favicon|ban-nhap|healthz|readyz|metrics|dang-xuat)|xuat|/tai(/|$)|\.csv|\.xlsx")


def matrix_get_paths(root):
    """The GET routes the route matrix lists (RouteMatrixTests.expected), as paths to open."""
    with open(root + "/Tests/ThadsAppTests/Platform/RouteMatrixTests.swift", encoding="utf-8") as handle:
        source = handle.read()
    return sorted(set(re.findall(r'"GET (/[^"]*)":', source)))


def fits(actor, width):
    """scrollWidth against the window, after the page settled."""
    return actor.driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth, location.pathname];")


def set_width(actor, width):
    actor.driver.set_window_size(width, 900)
    inner = actor.driver.execute_script("return window.innerWidth;")
    if inner != width:  # the window's frame differs between builds: make the viewport exactly `width`
        actor.driver.set_window_size(width + (width - inner), 900)


def check_widths(test, actors, case_path, root):
    """Opens every GET page of the route matrix for each actor at each width; no page may be wider than the window."""
    paths = matrix_get_paths(root)
    case_id = case_path.rsplit("/", 1)[-1]
    too_wide = []
    seen = 0
    for label, actor in actors:
        for width in WIDTHS:
            set_width(actor, width)
            for template in paths:
                if NOT_PAGES.search(template):
                    continue
                path = template.replace(":caseID", case_id)
                if ":" in path:
                    continue
                actor.open(path)
                scroll, inner, where = fits(actor, width)
                seen += 1
                if scroll > inner:
                    too_wide.append(f"{label} {width}px {path} (→ {where}): {scroll} > {inner}")
            for name, path in (("ho-so", case_path), ("danh-sach-ho-so", "/ho-so"), ("trang-chu", "/"),
                               ("hieu-chinh", "/hieu-chinh")):
                actor.open(path)
                actor.shot(f"{name}-{width}px")
            set_width(actor, 1280)
    test.assertGreater(seen, 60, "the route matrix's pages were opened")
    test.assertEqual(too_wide, [], "pages wider than the window:\n" + "\n".join(too_wide))


def money_rows(officer, reference):
    return officer.driver.find_elements(
        By.XPATH, f"//table[@id='money']//tr[td[normalize-space(.)='{reference}']]")


def walk_daily_work(test, officer, head, officer_name, officer_username, password, run):
    today = case_flow.vietnam_today()
    number = f"{int(run, 16) % 900 + 100}/2026/HS-ST"
    form = case_flow.open_case_form(officer, number, officer_name, today)
    officer.submit("Lưu và cấp mã hồ sơ")
    officer.wait_path(case_flow.CASE_PATH)
    case_path = officer.path
    code = officer.h1().replace("Hồ sơ ", "")
    case_flow.add_on_tab(test, officer, case_path, "duong-su", "form-party", role="debtor", kind="person",
                         fullName="Đinh Thị Mười", birthYear="1985", address="9 Hàng Mã, Hà Nội")
    test.assertEqual(officer.driver.find_element(By.ID, "case-debtors").text, "Đinh Thị Mười", "the header names the debtor")

    # A failed save: the summary is on the first screen and has the focus.
    officer.open(f"{case_path}?tab=nghia-vu")
    money = officer.driver.find_element(By.ID, "form-money")
    officer.submit("Lưu", scope=money, direction="collected", amount="mười nghìn", occurredOn=case_flow.d(today),
                   reference="BL-LOI")
    focused = officer.driver.execute_script(
        "var e = document.activeElement; var r = e.getBoundingClientRect();"
        "return [e.hasAttribute('data-error-summary'), r.top, r.bottom, window.innerHeight, e.innerText];")
    test.assertTrue(focused[0], f"the focus is on the error summary: {focused}")
    test.assertTrue(0 <= focused[1] < focused[3], f"the summary is within the first screen: {focused}")
    test.assertIn("Số tiền", focused[4])
    test.assertTrue(officer.driver.find_elements(By.CSS_SELECTOR, "#form-money [aria-invalid='true']"))
    officer.shot("tom-tat-loi")

    # A double click on "Lưu" stores the row once (a payment: a collection would have its receipt).
    case_flow.add_on_tab(test, officer, case_path, "nghia-vu", "form-money", direction="collected",
                         amount="5.000.000", occurredOn=case_flow.d(today), reference="BL-DUNG")
    officer.open(f"{case_path}?tab=nghia-vu")
    money = officer.driver.find_element(By.ID, "form-money")
    officer.fill(money, direction="paidOut", amount="3.000.000", occurredOn=case_flow.d(today), reference="PC-HAI")
    button = money.find_element(By.XPATH, ".//button[normalize-space(.)='Lưu']")
    officer._mark_page()
    ActionChains(officer.driver).double_click(button).perform()
    officer._wait_new_page()
    time.sleep(1)
    officer.open(f"{case_path}?tab=nghia-vu")
    test.assertEqual(len(money_rows(officer, "PC-HAI")), 1, "a double click stores one row")
    officer.open(case_path)
    before = officer.driver.find_element(By.ID, "money-summary").text
    test.assertIn("3.000.000 đ", before)

    # The wrong row is voided with a reason; the head approves; it is struck through and the totals change.
    officer.open(f"{case_path}?tab=nghia-vu")
    money_rows(officer, "PC-HAI")[0].find_element(By.XPATH, ".//a[normalize-space(.)='Hiệu chỉnh']").click()
    officer.wait_path(re.compile(r"/ho-so/[0-9A-Fa-f-]{36}/sua/money/[0-9A-Fa-f-]{36}"))
    correction = officer.form_with_button("Gửi hiệu chỉnh")
    correction.find_element(By.NAME, "voided").click()
    officer.submit("Gửi hiệu chỉnh", reasonCode="CR-WRONG-ENTRY", reasonNote="Bấm lưu hai lần")
    head.open("/hieu-chinh")
    row = head.driver.find_element(By.XPATH, f"//table[@id='correction-queue']//tr[td//a[normalize-space(.)='{code}']]")
    test.assertIn("Đinh Thị Mười", row.text, "the queue names the debtor")
    test.assertIn("Hủy bỏ", row.text)
    head.submit("Duyệt", scope=row)
    test.assertIn("Đã duyệt", head.text())
    officer.open(f"{case_path}?tab=nghia-vu")
    voided = money_rows(officer, "PC-HAI")
    test.assertEqual(voided[0].get_attribute("class"), "voided")
    test.assertIn("Đã hủy", voided[0].text)
    officer.shot("khoan-thu-da-huy")
    officer.open(case_path)
    totals = officer.driver.find_element(By.ID, "money-summary").text
    test.assertIn("Đã chi trả\n0 đ", totals, f"the voided payment no longer counts: {totals}")
    test.assertNotIn("3.000.000 đ", totals)

    # The delivery of the decision is recorded from the duty row; the duty disappears.
    officer.open("/viec-cua-toi")
    row = officer.driver.find_element(By.XPATH, f"//table[@id='duties']//tr[td//a[normalize-space(.)='{code}']]")
    test.assertIn("Đinh Thị Mười", row.text, "the work list names the debtor")
    officer.submit("Ghi nhận đã giao", scope=row)
    test.assertIn("Đã ghi nhận việc giao", officer.text())
    test.assertFalse(officer.driver.find_elements(
        By.XPATH, f"//table[@id='duties']//tr[td//a[normalize-space(.)='{code}']][td[contains(., 'Giao, thông báo')]]"),
        "the delivery duty is gone")

    # A form sent after the session ended comes back filled after signing in, and is not saved.
    officer.open(f"{case_path}?tab=nghia-vu")
    money = officer.driver.find_element(By.ID, "form-money")
    officer.fill(money, direction="collected", amount="7.777.000", occurredOn=case_flow.d(today),
                 reference="BL-HET-PHIEN")
    officer.driver.delete_cookie("thads_session")
    officer.submit("Lưu", scope=money)
    officer.wait_path("/dang-nhap")
    test.assertIn("Phiên đăng nhập đã hết hạn", officer.text())
    officer.submit("Đăng nhập", username=officer_username, password=password)
    officer.wait_path(case_path)
    restored = officer.driver.find_elements(By.ID, "draft-restored")
    for _ in range(30):
        if restored:
            break
        time.sleep(0.2)
        restored = officer.driver.find_elements(By.ID, "draft-restored")
    test.assertTrue(restored, "the kept form is filled in again")
    money = officer.driver.find_element(By.ID, "form-money")
    test.assertEqual(money.find_element(By.NAME, "reference").get_attribute("value"), "BL-HET-PHIEN")
    test.assertEqual(money.find_element(By.NAME, "amount").get_attribute("value"), "7.777.000")
    test.assertFalse(money_rows(officer, "BL-HET-PHIEN"), "nothing was saved without the user")
    officer.shot("bieu-mau-khoi-phuc")
    return case_path, code
