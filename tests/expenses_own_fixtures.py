"""Shared pieces for the tests of a rep's own claim screens: a policy, files built in the test,
and claims made the way the screens make them (through `expenses.services`)."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from expenses import services
from expenses.models import Claim
from tests.conftest import sign_in
from tests.factories import ExpensePolicyFactory


def days_ago(days: int):
    return timezone.localdate() - timedelta(days=days)


@pytest.fixture
def policy_a(board_a):
    return ExpensePolicyFactory(board=board_a)


@pytest.fixture
def policy_b(board_b):
    return ExpensePolicyFactory(board=board_b)


@pytest.fixture
def rep(rep_a1, policy_a):
    return rep_a1.rep_profile


@pytest.fixture
def rep_client(client, rep_a1):
    return sign_in(client, rep_a1)


def mileage(miles="10", day=None, **extra) -> dict:
    return {
        "date": day or days_ago(3),
        "kind": "mileage",
        "miles": Decimal(miles),
        "vehicle": "car",
        "activity": "Integration Joint Board meeting",
        **extra,
    }


def parking(amount="3.50", day=None, **extra) -> dict:
    return {
        "date": day or days_ago(3),
        "kind": "parking",
        "amount_claimed": Decimal(amount),
        "activity": "Integration Joint Board meeting",
        **extra,
    }


def draft_for(rep, *items) -> Claim:
    return services.claim_create_draft(rep=rep, created_by=rep.user, items=items)


def submitted_for(rep, *items) -> Claim:
    claim = draft_for(rep, *items)
    return services.claim_submit(claim=claim, by=rep.user)


def png_bytes(size=(40, 30), colour="white", **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG", **save)
    return out.getvalue()


def jpeg_bytes(size=(40, 30), colour="white", **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG", **save)
    return out.getvalue()


def stored_receipts() -> list[str]:
    """Every file in the private storage's receipts folder."""
    if not default_storage.exists("receipts"):
        return []
    return sorted(default_storage.listdir("receipts")[1])


def page_text(response) -> str:
    """The page as words, with runs of spaces and line breaks read as one space."""
    import re
    from html import unescape

    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(unescape(text).split())
