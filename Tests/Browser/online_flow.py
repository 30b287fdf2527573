"""Issue 17 in the browser: a citizen files the three online procedures on the portal; staff of the regional office
01-01 take them through the five steps; the status page and the mail (received by run.sh's SMTP server) follow."""

import os
import re
import tempfile
import time

from selenium.webdriver.common.by import By

import thads_browser as tb

PORTAL = "/cong-khai/ho-tro-truc-tuyen"
WORDS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
               b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def make_staff(test, admin, local, label, username, name, email, password, roles):
    """The local admin requests an account in 01-01 with `roles`, the central admin approves, the person sets the
    password from the mailed link and signs in (a head enrols TOTP)."""
    local.open("/tai-khoan/moi")
    form = local.form_with_button("Gửi đề nghị")
    local.fill(form, username=username, fullName=name, email=email, nationalID=str(int(time.time() * 1000))[-12:],
               position="Công chức", accountClass="internalUser", **{"roles[]": roles},
               note="Hỗ trợ trực tuyến khu vực 1")
    local.select_option_starting(form, "unitID", "01-01 · ")
    local.submit("Gửi đề nghị")
    local.wait_path("/de-nghi")
    admin.open("/phe-duyet")
    link = admin.driver.find_elements(
        By.XPATH, f"//table//tr[td[contains(., '{name}')]]//a[contains(@href, '/phe-duyet/')]")
    test.assertTrue(link, f"the approval queue must list {name}: {admin.text()[:600]}")
    link[0].click()
    admin.wait_path(re.compile(r"/phe-duyet/[0-9A-Fa-f-]{36}"))
    admin.submit("Phê duyệt")
    admin.wait_path("/phe-duyet")
    body = tb.read_link_mail(email)
    person = test.actor(label)
    person.set_password_by_link(tb.password_link(body), password)
    person.login(username, password)
    if "head" in roles:
        person.enrol_totp()
    else:
        person.wait_path("/")
    return person


def solve(text):
    match = re.search(r"(\w+) cộng (\w+) bằng bao nhiêu", text)
    assert match, f"no question on the form: {text[:400]}"
    return str(WORDS.index(match.group(1).lower()) + WORDS.index(match.group(2).lower()))


def pdf_path(name):
    path = os.path.join(tempfile.gettempdir(), name)
    with open(path, "wb") as handle:
        handle.write(MINIMAL_PDF)
    return path


def file_request(test, visitor, procedure_label, fields, email, office_prefix):
    """Files one procedure with a PDF; returns (tracking code, status link)."""
    visitor.open(PORTAL)
    visitor.driver.find_element(By.LINK_TEXT, procedure_label).click()
    visitor.wait_path(f"{PORTAL}/gui")
    visitor.submit("Tiếp tục", tinh="01")
    form = visitor.form_with_button("Gửi và nhận mã xác thực")
    visitor.select_option_starting(form, "co-quan", office_prefix)
    question = form.find_element(By.CSS_SELECTOR, "label[for=f-tra-loi]").text
    visitor.fill(form, email=email, **{"dien-thoai": "0912 345 678", "tra-loi": solve(question)}, **fields)
    form.find_element(By.NAME, "tep1").send_keys(pdf_path("ban-an.pdf"))
    visitor.shot("ho-tro-truc-tuyen-mau-don")
    visitor.submit("Gửi và nhận mã xác thực")
    visitor.wait_path(re.compile(PORTAL + r"/xac-thuc/[0-9A-Fa-f-]{36}"))
    _, body = tb.read_mail(email, containing="Mã xác thực địa chỉ email")
    code = re.search(r"\b(\d{6})\b", body).group(1)
    visitor.submit("Xác nhận gửi", ma=code)
    tracking = visitor.driver.find_element(By.ID, "ma-ho-so").text.strip()
    test.assertRegex(tracking, r"^(YC|KN|XN)-01-\d{4}-\d{6}$")
    link = visitor.driver.find_element(By.ID, "lien-ket-theo-doi").get_attribute("href")
    subject, received = tb.read_mail(email, containing=tracking)
    test.assertIn("Đã tiếp nhận yêu cầu " + tracking, subject)
    test.assertIn("Mã hồ sơ: " + tracking, received)
    return tracking, link


def open_request(test, staff, tracking):
    staff.open("/ho-tro-truc-tuyen?tat-ca=1")
    link = staff.driver.find_elements(By.LINK_TEXT, tracking)
    test.assertTrue(link, f"the intake queue must list {tracking}: {staff.text()[:800]}")
    link[0].click()
    staff.wait_path(re.compile(r"/ho-tro-truc-tuyen/[0-9A-Fa-f-]{36}"))


def take(test, staff, tracking, outcome, note="", **extra):
    open_request(test, staff, tracking)
    staff.submit("Thực hiện", outcome=outcome, note=note, **extra)
    test.assertNotIn("field-error", staff.driver.page_source, f"{tracking} {outcome}: {staff.text()[:800]}")


def walk_online_support(test, admin, local, run, run_name, password):
    officer_name = f"Phạm Hỗ Trợ {run_name}"
    head_name = f"Vũ Lãnh Đạo {run_name}"
    officer = make_staff(test, admin, local, "ol-officer", f"httt{run}", officer_name, f"httt{run}@thads.moj.gov.vn",
                         password, ["onlineSupportOfficer", "verifier"])
    head = make_staff(test, admin, local, "ol-head", f"ldol{run}", head_name, f"ldol{run}@thads.moj.gov.vn",
                      password, ["head"])
    visitor = test.actor("citizen")
    office = "Phòng Thi hành án dân sự khu vực 1"
    email_a = f"yc{run}@vi-du.vn"
    email_b = f"kn{run}@vi-du.vn"
    email_c = f"xn{run}@vi-du.vn"
    common = {"ho-ten": "Lê Thị Gửi", "dia-chi": "12 Hàng Bài, Hoàn Kiếm, Hà Nội"}
    request, request_link = file_request(test, visitor, "Yêu cầu thi hành án", dict(common, **{
        "nguoi-duoc-thi-hanh": "Lê Thị Gửi", "dia-chi-nguoi-duoc-thi-hanh": "12 Hàng Bài, Hà Nội",
        "nguoi-phai-thi-hanh": "Trần Văn Nợ", "dia-chi-nguoi-phai-thi-hanh": "3 Láng Hạ, Hà Nội",
        "ban-an": "Bản án số 12/2026/DS-ST ngày 05/3/2026", "noi-dung": "Yêu cầu thi hành khoản nợ 150.000.000 đồng",
    }), email_a, office)
    petition, petition_link = file_request(test, visitor, "Kiến nghị, phản ánh về thi hành án dân sự", dict(common, **{
        "tieu-de": "Chậm thi hành án", "noi-dung": "Vụ việc chậm thi hành đã hai năm", "so-nguoi": "2",
    }), email_b, office)
    confirmation, confirmation_link = file_request(test, visitor, "Xác nhận kết quả thi hành án", dict(common, **{
        "ban-an": "Bản án số 7/2025/DS-PT", "noi-dung": "Đề nghị xác nhận đã thi hành xong",
    }), email_c, office)

    # The enforcement request, with one incomplete → completed round trip.
    take(test, officer, request, "receive")
    take(test, officer, request, "incomplete", "Đề nghị bổ sung bản sao căn cước công dân")
    subject, body = tb.read_mail(email_a, containing="bản sao căn cước")
    test.assertIn("Hướng dẫn bổ sung hồ sơ " + request, subject)
    test.assertIn("chưa đầy đủ, hợp lệ", body)
    visitor.driver.get(request_link)
    test.assertIn("Chờ đương sự bổ sung hồ sơ", visitor.text())
    form = visitor.form_with_button("Gửi bổ sung")
    visitor.fill(form, **{"noi-dung": "Gửi bản sao căn cước công dân"})
    form.find_element(By.NAME, "tep1").send_keys(pdf_path("cccd.pdf"))
    visitor.submit("Gửi bổ sung")
    test.assertIn("Đã gửi phần bổ sung hồ sơ", visitor.text())
    take(test, officer, request, "complete", "Mời ông/bà đến trụ sở lúc 09:00 ngày làm việc kế tiếp")
    subject, _ = tb.read_mail(email_a, containing="lúc 09:00")
    test.assertIn("Thông báo lịch hẹn hồ sơ " + request, subject)
    take(test, officer, request, "matched", "Đơn ký trực tiếp khớp với đơn trực tuyến; đã tống đạt giấy báo")
    take(test, officer, request, "draft")
    take(test, head, request, "approve", "Đã ra quyết định thi hành án theo yêu cầu")
    subject, body = tb.read_mail(email_a, containing="Đã ra quyết định thi hành án")
    test.assertIn("Kết quả giải quyết hồ sơ " + request, subject)

    # The petition: classified, assigned by the leader, answered.
    take(test, officer, petition, "classify", loai="kien-nghi", **{"dieu-kien": "du-dieu-kien",
                                                                   "tham-quyen": "thuoc-tham-quyen", "so-nguoi": "2"})
    open_request(test, head, petition)
    form = head.form_with_button("Thực hiện")
    head.select_option_starting(form, "can-bo", officer_name)
    head.submit("Thực hiện", outcome="assign")
    take(test, officer, petition, "propose-answer", "Dự thảo văn bản trả lời")
    take(test, head, petition, "approve")
    take(test, officer, petition, "inform", "Cơ quan đã chỉ đạo Chấp hành viên đẩy nhanh việc thi hành")
    subject, _ = tb.read_mail(email_b, containing="đẩy nhanh")
    test.assertIn("Kết quả giải quyết hồ sơ " + petition, subject)

    # The result confirmation is refused.
    take(test, officer, confirmation, "receive")
    take(test, officer, confirmation, "refuse", "Hồ sơ do cơ quan thi hành án khác thụ lý")
    subject, body = tb.read_mail(email_c, containing="cơ quan thi hành án khác")
    test.assertIn("Thông báo từ chối yêu cầu " + confirmation, subject)
    test.assertIn("từ chối yêu cầu", body)

    # The status pages show every step.
    visitor.driver.get(request_link)
    page = visitor.text()
    for label in ["Bước 1: Tiếp nhận yêu cầu", "Bước 2: Kiểm tra tính hợp lệ", "Chờ đương sự bổ sung hồ sơ",
                  "Bước 3: Tiếp nhận trực tiếp, đối chiếu", "Bước 4: Thẩm tra, dự thảo văn bản",
                  "Bước 5: Ký phê duyệt, trả kết quả", "Đã trả kết quả"]:
        test.assertIn(label, page)
    visitor.shot("ho-tro-truc-tuyen-trang-thai")
    visitor.driver.get(petition_link)
    page = visitor.text()
    for label in ["Bước 1: Tiếp nhận, phân loại", "Bước 2: Lãnh đạo phân công", "Bước 3: Đề xuất xử lý",
                  "Bước 4: Lãnh đạo ký văn bản trả lời", "Bước 5: Thông báo kết quả", "Đã trả lời"]:
        test.assertIn(label, page)
    visitor.driver.get(confirmation_link)
    test.assertIn("Đã từ chối", visitor.text())
    test.assertIn("Hồ sơ do cơ quan thi hành án khác thụ lý", visitor.text())

    # Look-up by code and email; the leader's overview counts the office's three requests.
    visitor.open(PORTAL + "/tra-cuu")
    visitor.submit("Tra cứu", ma=request, email=email_a)
    test.assertIn("Đã trả kết quả", visitor.text())
    head.open("/ho-tro-truc-tuyen/tong-hop")
    test.assertIn(officer_name, head.text())
    head.shot("ho-tro-truc-tuyen-tong-hop")
