"""The accessibility statement says only what is true of the portal, and who to write to."""

import html
import re

import pytest
from django.urls import reverse

from tests.conftest import sign_in


@pytest.fixture
def statement(client, settings, db):
    def read(support_email="rep-portal@example.scot"):
        settings.SUPPORT_EMAIL = support_email
        page = client.get(reverse("accessibility")).content.decode()
        # Words only, so that a phrase split by markup or a line break is still found.
        return page, " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())

    return read


def test_the_statement_gives_the_support_email_to_write_to(statement):
    page, words = statement()
    assert 'href="mailto:rep-portal@example.scot"' in page
    assert "email rep-portal@example.scot" in words


def test_without_a_support_email_the_statement_still_says_who_to_tell(statement):
    page, words = statement(support_email="")
    assert "mailto:" not in page
    assert "tell your partnership's support officer" in words


def test_the_statement_carries_the_enforcement_procedure(statement):
    page, words = statement()
    assert "Equality and Human Rights Commission (EHRC) is responsible for enforcing" in words
    assert 'href="https://www.equalityadvisoryservice.com/"' in page


def test_the_statement_names_the_pdfs_the_portal_makes(statement):
    """The annual summary and a rep's statement for a tax year are PDFs, made tagged."""
    _, words = statement()
    assert "each board's annual summary, which is also a web page in the portal" in words
    assert "a rep's statement of what they were paid in a tax year" in words
    assert "tagged PDFs (PDF/UA)" in words


def test_the_statement_names_only_documents_the_portal_holds(statement):
    """Boards upload no documents: receipts are the only files, and reps upload them."""
    _, words = statement()
    assert "Receipts are photos or scans that reps upload" in words
    assert "Documents that staff upload for reps" in words


def test_the_statement_names_the_rep_pages_it_sends_people_to(statement, client, rep_a1):
    _, words = statement()
    assert "“Support to take part” on the “Your details” page" in words
    details = sign_in(client, rep_a1).get(reverse("reps:my_details")).content.decode()
    assert "<h2>Support to take part</h2>" in details
    assert "Your details" in details
