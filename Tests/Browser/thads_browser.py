"""Helpers for the THADS browser tests: a headless Chromium, TOTP codes, the .eml outbox, screenshots.

Environment (set by run.sh):
  BASE_URL        e.g. http://127.0.0.1:41234
  ADMIN_PASSWORD  the first central admin's one-time password printed by the server
  DATA_DIR        the server's THADS_DATA_DIR (outgoing mail lands in DATA_DIR/mail as .eml files)
"""

import base64
import email
import email.policy
import glob
import hashlib
import hmac
import http.cookiejar
import os
import re
import struct
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

HERE = os.path.dirname(os.path.abspath(__file__))
SCREENSHOT_DIR = os.path.join(HERE, "screenshots")


def env(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set; run the browser tests through Tests/Browser/run.sh")
    return value


BASE_URL = os.environ.get("BASE_URL", "").rstrip("/")
ADMIN_PASSWORD = os.environ.get("ADMIN_PASSWORD", "")
DATA_DIR = os.environ.get("DATA_DIR", "")


# ---------------------------------------------------------------- TOTP (RFC 6238, SHA-1, 30 s, 6 digits)

def totp(secret, at=None, step=30, digits=6):
    key = base64.b32decode(secret.replace(" ", "").upper() + "=" * (-len(secret.replace(" ", "")) % 8))
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10 ** digits).zfill(digits)


def fresh_totp(secret, used_steps):
    """A code for a time step not used before for this account (the server refuses replays).

    `used_steps` is a set kept per account; waits for the next 30 s step when needed. Also avoids the
    last second of a step so the code is still current when the server checks it."""
    while True:
        now = time.time()
        step = int(now // 30)
        if step not in used_steps and (now % 30) < 28:
            used_steps.add(step)
            return totp(secret, at=now)
        time.sleep(min(1.0, 30 - (now % 30) + 0.05))


# ---------------------------------------------------------------- Outgoing mail (.eml files)

def read_mail(to_address, since=0.0, timeout=20.0, containing="Mật khẩu dùng một lần", missing_ok=False):
    """The newest .eml under DATA_DIR/mail addressed to `to_address`, written after `since`.

    Returns (subject, plain-text body). Polls, because mail goes through an outbox."""
    mail_dir = os.path.join(env("DATA_DIR"), "mail")
    deadline = time.time() + timeout
    while True:
        candidates = []
        for path in glob.glob(os.path.join(mail_dir, "**", "*.eml"), recursive=True):
            mtime = os.path.getmtime(path)
            if mtime + 1 < since:
                continue
            with open(path, "rb") as handle:
                message = email.message_from_binary_file(handle, policy=email.policy.default)
            if to_address.lower() not in str(message.get("To", "")).lower():
                continue
            part = message.get_body(preferencelist=("plain",)) or message
            body = part.get_content()
            if containing and containing not in body:
                continue
            candidates.append((mtime, path, str(message.get("Subject", "")), body))
        if candidates:
            candidates.sort()
            _, _, subject, body = candidates[-1]
            return subject, body
        if time.time() > deadline:
            if missing_ok:
                return None
            present = sorted(os.listdir(mail_dir)) if os.path.isdir(mail_dir) else "(no mail directory)"
            raise AssertionError(
                f"no mail to {to_address} containing {containing!r} within {timeout:.0f} s in {mail_dir}; "
                f"files present: {present}")
        time.sleep(0.3)


def mails_to(to_address):
    """How many .eml files are addressed to `to_address` (to show that nothing was sent yet)."""
    mail_dir = os.path.join(env("DATA_DIR"), "mail")
    count = 0
    for path in glob.glob(os.path.join(mail_dir, "**", "*.eml"), recursive=True):
        with open(path, "rb") as handle:
            message = email.message_from_binary_file(handle, policy=email.policy.default)
        if to_address.lower() in str(message.get("To", "")).lower():
            count += 1
    return count


def read_link_mail(to_address, timeout=20.0):
    """The newest mail with a set-password link to `to_address`.

    Without SMTP such mail never reaches the mail directory in clear: the server prints it once on its console,
    which run.sh keeps in SERVER_LOG. Through SMTP (run.sh's smtp_sink.py) it arrives whole, as an .eml file under
    DATA_DIR/mail. Returns the plain-text body."""
    log_path = env("SERVER_LOG")
    pattern = re.compile(r"===== Thư gửi (\S+): [^\n]*=====\n(.*?)\n===== Hết thư =====", re.S)
    deadline = time.time() + timeout
    while True:
        with open(log_path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        bodies = [body for address, body in pattern.findall(text) if address.lower() == to_address.lower()]
        if bodies:
            return bodies[-1]
        delivered = read_mail(to_address, timeout=0, containing="/dat-mat-khau/", missing_ok=True)
        if delivered:
            return delivered[1]
        if time.time() > deadline:
            raise AssertionError(f"no set-password mail to {to_address} within {timeout:.0f} s in {log_path}")
        time.sleep(0.3)


def password_link(body):
    match = re.search(r"Đặt mật khẩu tại:\s*(\S+)", body)
    assert match, f"the mail has no line 'Đặt mật khẩu tại: …':\n{body}"
    return match.group(1)


def one_time_password(body):
    match = re.search(r"Mật khẩu dùng một lần:\s*(\S+)", body)
    assert match, f"the mail has no line 'Mật khẩu dùng một lần: …':\n{body}"
    return match.group(1)


def username_in_mail(body):
    match = re.search(r"Tên đăng nhập:\s*(\S+)", body)
    return match.group(1) if match else None


# ---------------------------------------------------------------- Plain HTTP (for status codes the browser hides)

def login_status(username, password):
    """POSTs the login form outside the browser and returns (HTTP status, body text)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener.add_handler(NoRedirect())
    page = opener.open(BASE_URL + "/dang-nhap", timeout=10).read().decode("utf-8")
    match = re.search(r'name="_csrf" value="([^"]+)"', page)
    assert match, "the login page has no _csrf field"
    data = urllib.parse.urlencode({"_csrf": match.group(1), "username": username, "password": password}).encode()
    try:
        response = opener.open(BASE_URL + "/dang-nhap", data=data, timeout=10)
        return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


# ---------------------------------------------------------------- Browser

def make_driver():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
    for argument in ("--no-sandbox", "--headless=new", "--window-size=1280,1000", "--disable-dev-shm-usage",
                     "--disable-gpu", "--lang=vi-VN", "--no-first-run", "--disable-extensions",
                     "--password-store=basic"):
        options.add_argument(argument)
    # No "save password?" or breach-check bubbles over the pages.
    options.add_experimental_option("prefs", {
        "credentials_enable_service": False,
        "profile.password_manager_enabled": False,
        "profile.password_manager_leak_detection": False,
    })
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    return driver


class Actor:
    """One person at one browser (own cookies), with the steps the tests repeat."""

    counter = [0]

    def __init__(self, label):
        self.label = label
        self.driver = make_driver()
        self.used_totp_steps = set()

    def quit(self):
        try:
            self.driver.quit()
        except Exception:
            pass

    # navigation --------------------------------------------------------

    def open(self, path):
        self.driver.get(BASE_URL + path)
        return self

    @property
    def path(self):
        return urllib.parse.urlsplit(self.driver.current_url).path

    def wait_path(self, expected, timeout=15):
        """Waits until the current path equals `expected` (or matches it, if a compiled regex)."""
        def matches(_):
            path = self.path
            return expected.fullmatch(path) if hasattr(expected, "fullmatch") else path == expected
        try:
            WebDriverWait(self.driver, timeout).until(matches)
        except TimeoutException:
            raise AssertionError(
                f"[{self.label}] expected to be at {getattr(expected, 'pattern', expected)}, but at {self.path}; "
                f"page says: {self.text()[:600]}")
        return self.path

    def text(self):
        try:
            return self.driver.find_element(By.TAG_NAME, "body").text
        except Exception:
            return ""

    def h1(self):
        elements = self.driver.find_elements(By.TAG_NAME, "h1")
        return elements[0].text.strip() if elements else ""

    def shot(self, name):
        os.makedirs(SCREENSHOT_DIR, exist_ok=True)
        Actor.counter[0] += 1
        path = os.path.join(SCREENSHOT_DIR, f"{Actor.counter[0]:02d}-{self.label}-{name}.png")
        self.driver.save_screenshot(path)
        return path

    def dump(self, name):
        """Screenshot and HTML of the current page, for a failing test."""
        os.makedirs(SCREENSHOT_DIR, exist_ok=True)
        base = os.path.join(SCREENSHOT_DIR, f"FAILED-{name}-{self.label}")
        try:
            self.driver.save_screenshot(base + ".png")
            with open(base + ".html", "w", encoding="utf-8") as handle:
                handle.write(self.driver.page_source)
        except Exception:
            pass
        return base

    # forms -------------------------------------------------------------

    def form_with_button(self, button_text, scope=None):
        """The <form> holding a submit button with this text."""
        root = scope or self.driver
        condition = (f"[.//button[normalize-space(.)='{button_text}'] "
                     f"or .//input[@type='submit' and @value='{button_text}']]")
        forms = root.find_elements(By.XPATH, "self::form" + condition + " | .//form" + condition)
        assert forms, f"[{self.label}] no form with a button “{button_text}” on {self.path}: {self.text()[:400]}"
        form = forms[0]
        # Every form that changes something carries the CSRF token; a GET search changes nothing.
        if (form.get_attribute("method") or "get").lower() == "post":
            assert form.find_elements(By.NAME, "_csrf"), f"the form “{button_text}” on {self.path} has no _csrf field"
        return form

    def fill(self, form, **fields):
        for name, value in fields.items():
            element = form.find_element(By.NAME, name)
            if element.tag_name == "select":
                select = Select(element)
                values = value if isinstance(value, (list, tuple)) else [value]
                if select.is_multiple:
                    select.deselect_all()
                for item in values:
                    select.select_by_value(item)
            else:
                element.clear()
                element.send_keys(value)
        return form

    def select_option_starting(self, form, name, prefix):
        """Selects the option whose visible text starts with `prefix` (units show as “CODE · Name”)."""
        select = Select(form.find_element(By.NAME, name))
        for option in select.options:
            if option.text.strip().startswith(prefix):
                select.select_by_visible_text(option.text)
                return option.text.strip()
        raise AssertionError(
            f"[{self.label}] no option starting with {prefix!r} in {name}: {[o.text for o in select.options][:40]}")

    def submit(self, button_text, scope=None, **fields):
        form = self.form_with_button(button_text, scope)
        self.fill(form, **fields)
        button = form.find_element(
            By.XPATH, f".//button[normalize-space(.)='{button_text}'] | .//input[@type='submit' and @value='{button_text}']")
        self._mark_page()
        button.click()
        self._wait_new_page()
        return self

    # common flows ------------------------------------------------------

    def login(self, username, password):
        self.open("/dang-nhap")
        return self.submit("Đăng nhập", username=username, password=password)

    def set_password_by_link(self, url, new):
        """Follows a mailed set-password link and chooses the password."""
        self.driver.get(url)
        self.shot("dat-mat-khau")
        self.submit_first_form(new=new, confirm=new)
        assert "Đã đặt mật khẩu" in self.text(), f"[{self.label}] the link was refused: {self.text()[:600]}"
        return self

    def change_password(self, current, new):
        self.wait_path("/mat-khau/doi")
        self.shot("doi-mat-khau")
        self.submit_first_form(current=current, new=new, confirm=new)
        return self

    def submit_first_form(self, **fields):
        """Submits the main form of the page (the first form inside <main>)."""
        forms = self.driver.find_elements(By.CSS_SELECTOR, "main form")
        assert forms, f"[{self.label}] no form on {self.path}"
        form = forms[0]
        self.fill(form, **fields)
        self._mark_page()
        form.find_element(By.CSS_SELECTOR, "button[type=submit], input[type=submit]").click()
        self._wait_new_page()
        return self

    def _mark_page(self):
        """Marks the current document, so _wait_new_page can tell when the next one has loaded.

        (Selenium's staleness_of is not reliable with recent chromedriver: it can raise "Node with given
        id does not belong to the document" instead of reporting the old element as stale.)"""
        self.driver.execute_script("window.__thadsOldPage = true;")

    def _wait_new_page(self, timeout=15):
        def loaded(driver):
            try:
                return driver.execute_script(
                    "return window.__thadsOldPage !== true && document.readyState === 'complete';")
            except WebDriverException:
                return False  # navigating: ask again
        try:
            WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(loaded)
        except TimeoutException:
            raise AssertionError(f"[{self.label}] no new page within {timeout} s after submitting on {self.path}")

    def enrol_totp(self):
        """On /mfa/dang-ky: reads the secret, enters a code; returns (secret, recovery codes)."""
        self.wait_path("/mfa/dang-ky")
        qr = self.driver.find_elements(By.CSS_SELECTOR, "div.qr svg")
        assert qr, f"[{self.label}] the enrolment page shows no QR code (div.qr svg)"
        secret = self.driver.find_element(By.ID, "totp-secret").text.replace(" ", "").strip()
        assert re.fullmatch(r"[A-Z2-7]{16,}", secret), f"unexpected TOTP secret text {secret!r}"
        self.shot("dang-ky-mfa")
        self.submit_first_form(code=fresh_totp(secret, self.used_totp_steps))
        codes = [li.text.strip() for li in self.driver.find_elements(By.CSS_SELECTOR, "ol#recovery-codes li")]
        assert len(codes) == 10, (
            f"[{self.label}] expected 10 recovery codes after enrolment, got {len(codes)} at {self.path}: "
            f"{self.text()[:500]}")
        self.shot("ma-khoi-phuc")
        self.driver.find_element(By.LINK_TEXT, "Tôi đã lưu các mã, tiếp tục").click()
        self.wait_path("/")
        return secret, codes

    def logout(self):
        self.submit("Đăng xuất")
        return self
