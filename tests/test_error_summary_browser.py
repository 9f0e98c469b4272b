"""In a real browser, a form's error summary takes focus and its links move focus to the field.

A screen reader user hears "There is a problem" as soon as the page comes back, and a keyboard
user reaches the field to fix in one step.
"""

import pytest
from django import forms
from django.template import Context, Template
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory

# The browser and page fixtures are the shared ones (tests/browser.py, loaded by conftest):
# Debian's Chromium, headless, against the live server.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_empty_sign_in_shows_the_summary_and_its_links_reach_the_fields(page):
    page.goto("/account/sign-in/")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator("[data-module='portal-error-summary']")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary).to_be_focused()

    summary.get_by_role("link").first.click()
    expect(page.locator("#id_username")).to_be_focused()
    assert page.evaluate("document.activeElement.id") == "id_username"

    summary.get_by_role("link").nth(1).click()
    expect(page.locator("#id_password")).to_be_focused()
    assert page.console_errors == []


def test_a_wrong_password_is_explained_in_the_summary(page):
    user = UserFactory(email="carer.rep@example.org")
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD + " but wrong")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator("[data-module='portal-error-summary']")
    expect(summary).to_contain_text("The email address or password is not right")
    expect(summary).to_be_focused()
    # The email address typed is kept, so only the password needs typing again.
    expect(page.get_by_label("Email address")).to_have_value(user.email)


# A page of its own for a form no view serves yet; the design system's scripts and the portal's
# come from the live server as on every real page.
RECEIPT_PAGE = Template(
    """{% load static crispy_forms_tags %}<!doctype html><html lang="en-GB"><head>
    <title>Add a receipt</title>
    <link rel="stylesheet" href="{% static 'sgds/css/design-system.min.css' %}">
    <script type="module" src="{% static 'portal/js/portal.js' %}"></script></head>
    <body><main><form method="post" enctype="multipart/form-data" novalidate>
    {{ form|crispy }}</form></main></body></html>"""
)


class ReceiptForm(forms.Form):
    spent_on = forms.CharField(label="What it was for")
    receipt = forms.FileField(label="Receipt")


def test_a_summary_link_to_a_file_upload_reaches_its_drop_zone(page):
    html = RECEIPT_PAGE.render(Context({"form": ReceiptForm(data={"spent_on": "Bus"}, files={})}))
    page.route(
        "**/receipt/",
        lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"),
    )
    page.goto("/receipt/")

    summary = page.locator("[data-module='portal-error-summary']")
    expect(summary).to_be_focused()
    # The design system hides the file input itself behind a button that opens the file chooser.
    expect(page.locator("#id_receipt")).to_be_hidden()
    summary.get_by_role("link", name="Choose a file for receipt").click()
    expect(page.locator("#id_receipt-dropzone")).to_be_focused()
    assert page.console_errors == []
