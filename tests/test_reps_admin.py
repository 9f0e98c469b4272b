"""The Django admin pages for the reps app open for an administrator."""

import pytest
from django.urls import reverse

from tests.conftest import sign_in
from tests.factories import AgendaItemFactory, AttendanceFactory, TermFactory, TrainingFactory

MODELS = [
    "boardsettings",
    "group",
    "seat",
    "rep",
    "term",
    "inductionitemtemplate",
    "training",
    "meeting",
    "agendaitem",
]


@pytest.fixture
def record(board_a):
    term = TermFactory(seat__group__board=board_a)
    TrainingFactory(rep=term.rep)
    AttendanceFactory(meeting__group=term.seat.group, rep=term.rep)
    AgendaItemFactory(meeting__group=term.seat.group, rep=term.rep)
    return term


@pytest.mark.parametrize("model", MODELS)
def test_administrator_can_list_each_kind_of_record(client, administrator, record, model):
    response = sign_in(client, administrator).get(reverse(f"admin:reps_{model}_changelist"))
    assert response.status_code == 200


def test_the_rep_page_shows_needs_and_history_but_no_equality_answers(
    client, administrator, record
):
    sign_in(client, administrator)
    page = client.get(reverse("admin:reps_rep_change", args=[record.rep.pk])).content.decode()
    assert "Access and support needs" in page
    assert "ethnic" not in page.lower()
    history = client.get(reverse("admin:reps_rep_history", args=[record.rep.pk]))
    assert history.status_code == 200
