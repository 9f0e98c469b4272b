"""Real-browser testing: Playwright driving Chromium, with axe-core checking every page.

`make test` finds a Chromium (Debian's package, or Playwright's own) and passes its path in
CHROMIUM_PATH. Browser tests never skip: without a browser they fail and say why.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect, sync_playwright

# Playwright's sync API runs an event loop in the test thread; the live server's database
# calls from that thread are safe because each test owns its own data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
AXE_SOURCE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()
SCREENSHOTS = ROOT / "build" / "screenshots"
# Screenshots of every page checked are for people to look at; a run nobody looks at (CI's
# clean machine) leaves them out with SCREENSHOTS=0, and checks the pages all the same.
SAVE_SCREENSHOTS = os.environ.get("SCREENSHOTS", "1") != "0"
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def chromium_executable() -> str | None:
    """The Chromium to drive: CHROMIUM_PATH, else Debian's, else Playwright's own (None)."""
    path = os.environ.get("CHROMIUM_PATH", "")
    if path == "playwright":
        return None
    for candidate in (path, "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    page = context.new_page()
    page.console_errors = []

    def on_console(message):
        # A failed load is reported by on_response below, with its address.
        if message.type == "error" and "Failed to load resource" not in message.text:
            page.console_errors.append(message.text)

    def on_response(response):
        # A missing stylesheet, script or image is an error; the page's own status is not.
        if response.status >= 400 and response.request.resource_type != "document":
            page.console_errors.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    yield page
    context.close()


def browser_sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core's WCAG 2.2 A and AA rules on the page as it stands."""
    # evaluate() is not subject to the page's content security policy, so axe can run
    # without weakening the policy the page is tested under. Once a page: the same page
    # checked at another width keeps it.
    if page.evaluate("typeof axe === 'undefined'"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {
                    type: "tag",
                    values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
                },
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
            }));
        }"""
    )


def check_page(page: Page, name: str) -> None:
    """Check the current page with axe at desktop width and at 320 px, saving screenshots
    (unless SCREENSHOTS=0).

    Fails with the list of violations; also fails if the page logged an error (a content
    security policy violation shows up there).
    """
    # A link just clicked may still be loading its page: axe needs the new document.
    page.wait_for_load_state()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    problems = {}
    for label, viewport in (("desktop", DESKTOP), ("320px", NARROW)):
        page.set_viewport_size(viewport)
        if SAVE_SCREENSHOTS:
            page.screenshot(path=SCREENSHOTS / f"{slug}-{label}.png", full_page=True)
        violations = axe_violations(page)
        if violations:
            problems[label] = violations
        if label == "320px":
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                problems["320px-horizontal-scroll"] = overflow
    page.set_viewport_size(DESKTOP)
    assert not problems, f"{name} ({page.url}):\n{json.dumps(problems, indent=2)}"
    assert not page.console_errors, f"{name} logged errors: {page.console_errors}"


def set_up_second_factor(page: Page, email: str, *, check: bool = True) -> None:
    """Set up the authenticator app as a new member of staff does: open the link the portal
    emails, then type in the code the app shows for the key on the page. `check` runs axe on
    both pages, which needs JavaScript in the page."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    if check:
        check_page(page, f"second factor check your email {email}")
    message = next(m for m in reversed(mail.outbox) if m.to == [email])
    page.goto(re.search(r"https?://\S+", message.body).group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your second sign-in step")
    if check:
        check_page(page, f"second factor set-up {email}")
    device = TOTPDevice.objects.get(user__email=email, confirmed=False)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Code from your authenticator app").fill(f"{code:06d}")
    page.get_by_role("button", name="Confirm").click()


def signed_in(page: Page, live_server, client, user) -> None:
    """Sign `user` in through the test client and hand its session to the browser: for pages
    whose test is not about signing in."""
    from django.conf import settings

    from tests.conftest import sign_in

    sign_in(client, user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def save_pdf_for_review(content: bytes, name: str) -> Path:
    """Keep a downloaded PDF in build/screenshots, with its pages as PNG images when poppler's
    pdftoppm is at hand (CI installs it), for a person to look over."""
    assert content.startswith(b"%PDF-")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    saved = SCREENSHOTS / f"{name}.pdf"
    saved.write_bytes(content)
    converter = shutil.which("pdftoppm")
    if converter:
        subprocess.run(
            [converter, "-r", "80", "-png", str(saved), str(saved.with_suffix(""))], check=True
        )
        assert list(SCREENSHOTS.glob(f"{name}-*.png"))
    return saved
