"""Issue 23's acceptance test: receipts for collections, verified, mailed, checked in public, cancelled, replaced."""
import email
import email.policy
import glob
import os
import re
import time

from selenium.webdriver.common.by import By

import case_flow
import thads_browser as tb
from case_flow import d


def make_accountant(test, admin, local, username, name, email_address, password):
    """The local admin requests an accountant for 01-01, the central admin approves, the accountant signs in."""
    local.open("/tai-khoan/moi")
    form = local.form_with_button("Gửi đề nghị")
    local.fill(form, username=username, fullName=name, email=email_address,
               nationalID=str(int(time.time() * 1000) + 7)[-12:], position="Kế toán", accountClass="internalUser",
               **{"roles[]": ["accountant"]}, note="Kế toán đơn vị khu vực 1")
    local.select_option_starting(form, "unitID", "01-01 · ")
    local.submit("Gửi đề nghị")
    local.wait_path("/de-nghi")
    admin.open("/phe-duyet")
    link = admin.driver.find_elements(
        By.XPATH, f"//table//tr[td[contains(., '{name}')]]//a[contains(@href, '/phe-duyet/')]")
    test.assertTrue(link, f"the approval queue must list {name}: {admin.text()[:600]}")
    link[0].click()
    admin.submit("Phê duyệt")
    admin.wait_path("/phe-duyet")
    body = tb.read_link_mail(email_address)
    accountant = test.actor("accountant")
    accountant.set_password_by_link(tb.password_link(body), password)
    accountant.login(username, password)
    return accountant


def receipt_mail(to_address, timeout=20.0):
    """The newest .eml to `to_address` with attachments: (subject, text body, {filename: bytes})."""
    mail_dir = os.path.join(tb.env("DATA_DIR"), "mail")
    deadline = time.time() + timeout
    while True:
        found = []
        for path in glob.glob(os.path.join(mail_dir, "*.eml")):
            with open(path, "rb") as handle:
                message = email.message_from_binary_file(handle, policy=email.policy.default)
            if to_address.lower() in str(message.get("To", "")).lower() and message.is_multipart():
                files = {part.get_filename(): part.get_payload(decode=True) for part in message.iter_attachments()}
                found.append((os.path.getmtime(path), str(message.get("Subject", "")),
                              message.get_body(preferencelist=("plain",)).get_content(), files))
        if found:
            found.sort(key=lambda item: item[0])
            return found[-1][1:]
        if time.time() > deadline:
            raise AssertionError(f"no receipt mail to {to_address} within {timeout:.0f} s in {mail_dir}")
        time.sleep(0.3)


def check_publicly(visitor, symbol, number, code):
    visitor.open("/cong-khai/tra-cuu-bien-lai")
    visitor.submit("Tra cứu", **{"ky-hieu": symbol, "so": number, "ma": code})
    return visitor.driver.find_element(By.ID, "check-result").text


def walk_receipts(test, admin, accountant, officer, visitor, officer_name, run, run_name):
    today = case_flow.vietnam_today()
    symbol = f"AA-{today.year % 100:02d}E"

    # The accountant registers a series; the central admin approves it.
    accountant.open("/bien-lai/dai")
    accountant.submit("Đăng ký (chờ phê duyệt)", formSymbol="01BLP0-001", receiptSymbol=symbol,
                      purpose="enforcementMoney", validFrom=d(today.replace(month=1, day=1)), firstNumber="1",
                      lastNumber="9999999")
    test.assertIn("chờ Quản trị Cục phê duyệt", accountant.text())
    admin.open("/duyet-dai-bien-lai")
    section = admin.driver.find_element(By.XPATH, f"//section[contains(., '{symbol}')]")
    admin.submit("Phê duyệt", scope=section)
    test.assertIn("Đã phê duyệt dải biên lai", admin.text())
    accountant.open("/bien-lai/dai")
    test.assertIn("Đang sử dụng", accountant.driver.find_element(By.ID, "series").text)

    # The officer opens a case with its debtor and records a collection with the payer's email.
    number = f"{int(run, 16) % 900 + 100}/2026/KDTM-ST"
    payer = f"Phan Văn Nộp {run_name}"
    payer_mail = f"nop{run}@vidu.vn"
    case_flow.open_case_form(officer, number, officer_name, today)
    officer.submit("Lưu và cấp mã hồ sơ")
    officer.wait_path(case_flow.CASE_PATH)
    case_path = officer.path
    case_code = officer.h1().replace("Hồ sơ ", "")
    case_flow.add_on_tab(test, officer, case_path, "duong-su", "form-party", role="debtor", kind="person",
                         fullName=payer, birthYear="1970", idNumber="001170009876", address="3 Hàng Đào, Hà Nội")
    case_flow.add_on_tab(test, officer, case_path, "nghia-vu", "form-money", direction="collected",
                         amount="1.250.000", occurredOn=d(today), reference="PT-0001", payerEmail=payer_mail)

    # The receipt: the next number, a verified signature, the amount in words.
    case_id = case_path.rsplit("/", 1)[-1]
    officer.open(f"/bien-lai?ho-so={case_id}")
    officer.driver.find_element(By.XPATH, "//table[@id='receipts']//a").click()
    officer.wait_path(re.compile(r"/bien-lai/[0-9A-Fa-f-]{36}"))
    receipt_path = officer.path
    test.assertEqual(officer.driver.find_element(By.ID, "receipt-symbol").text, symbol)
    test.assertEqual(officer.driver.find_element(By.ID, "receipt-number").text, "0000001")
    test.assertEqual(officer.driver.find_element(By.ID, "receipt-words").text,
                     "Một triệu hai trăm năm mươi nghìn đồng")
    test.assertIn("Chữ ký số: hợp lệ", officer.driver.find_element(By.ID, "receipt-signature").text)
    test.assertTrue(officer.driver.find_elements(By.ID, "receipt-demo"), "a demo certificate says so")
    code = officer.driver.find_element(By.ID, "receipt-lookup").text
    officer.shot("bien-lai")

    # Emailed to the payer with the print view, the XML and the signature.
    subject, body, files = receipt_mail(payer_mail)
    test.assertIn(f"{symbol} 0000001", subject)
    test.assertIn(code, body)
    names = sorted(files)
    test.assertTrue(any(n.endswith(".xml") for n in names) and any(n.endswith(".html") for n in names)
                    and any(n.endswith(".p7s") for n in names), f"attachments: {names}")
    xml = next(v for n, v in files.items() if n.endswith(".xml")).decode("utf-8")
    test.assertIn("<SoTien>1250000</SoTien>", xml)

    # The public page verifies it, and says nothing else.
    result = check_publicly(visitor, symbol, "1", code)
    test.assertIn("Biên lai có hiệu lực", result)
    test.assertNotIn(payer, visitor.text())
    test.assertNotIn("1.250.000", visitor.text())
    visitor.shot("tra-cuu-bien-lai")

    # The accountant cancels it with a reason; the public page says cancelled.
    accountant.open(receipt_path)
    accountant.submit("Hủy biên lai", reason="Lập nhầm, thu lại theo chứng từ khác")
    test.assertIn("Đã hủy biên lai", accountant.text())
    test.assertIn("Đã hủy", accountant.driver.find_element(By.ID, "receipt-state").text)
    accountant.shot("bien-lai-da-huy")
    test.assertIn("đã bị hủy", check_publicly(visitor, symbol, "1", code))

    # A second collection, whose receipt the accountant replaces: the replacement names it.
    case_flow.add_on_tab(test, officer, case_path, "nghia-vu", "form-money", direction="collected",
                         amount="800.000", occurredOn=d(today), reference="PT-0002")
    officer.open(f"/bien-lai?ho-so={case_id}")
    link = officer.driver.find_element(By.XPATH, f"//table[@id='receipts']//a[normalize-space(.)='{symbol} 0000002']")
    second_path = link.get_attribute("href").split("//", 1)[-1].split("/", 1)[-1]
    accountant.open("/" + second_path)
    accountant.submit("Lập biên lai thay thế", replaceReason="Sai số tiền", replaceAmount="850.000")
    test.assertIn("Đã lập biên lai thay thế", accountant.text())
    test.assertEqual(accountant.driver.find_element(By.ID, "receipt-number").text, "0000003")
    test.assertEqual(accountant.driver.find_element(By.ID, "receipt-replaces").text, f"{symbol} 0000002")
    test.assertIn("Chữ ký số: hợp lệ", accountant.driver.find_element(By.ID, "receipt-signature").text)
    accountant.shot("bien-lai-thay-the")

    # The reconciliation lists the case whose first collection lost its receipt.
    accountant.open("/bien-lai/doi-chieu")
    test.assertIn(case_code, accountant.driver.find_element(By.ID, "mismatches").text)
    accountant.shot("doi-chieu")
