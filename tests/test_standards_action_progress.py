"""How far last year's improvement actions got: More than Equal asks boards to report progress
on their actions. Each side says, for each action its last plan had, whether it was done, partly
done or not done, and what came of it; the board's public page and its annual summary show it,
naming roles, never people."""

import importlib
from datetime import date

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports.summaries import annual_summary
from standards import services
from standards.models import Response
from standards.public import published_assessment
from standards.states import Side
from tests.conftest import sign_in
from tests.standards_fixtures import WHEN, YEAR, areas, side, submit
from tests.test_standards_pages import from_the_page

pytestmark = pytest.mark.django_db

keep_last_years_actions = importlib.import_module(
    "standards.migrations.0003_last_years_action_progress"
).keep_last_years_actions


def save(assessment, which, by, code="3.3", **changes):
    area = next(area for area in areas(assessment.framework) if area.code == code)
    return services.response_save(
        perspective=side(assessment, which), area=area, by=by, now=WHEN, **changes
    )


@pytest.fixture
def this_year(board_a, staff_a, rep_a1):
    last_year = services.assessment_start(
        board=board_a, financial_year=YEAR - 1, by=staff_a, now=WHEN, notify=False
    )
    save(last_year, Side.STAFF, staff_a, action_what="Issue papers ten days ahead.")
    save(last_year, Side.REPS, rep_a1, code="1.2", action_what="Agree a role description.")
    return services.assessment_start(
        board=board_a, financial_year=YEAR, by=staff_a, now=WHEN, notify=False
    )


def response(assessment, which, code):
    return Response.objects.get(perspective=side(assessment, which), area__code=code)


def test_last_years_action_is_kept_whatever_becomes_of_this_years(this_year, staff_a):
    carried = response(this_year, Side.STAFF, "3.3")
    assert carried.last_action_what == "Issue papers ten days ahead."
    saved = save(
        this_year,
        Side.STAFF,
        staff_a,
        action_what="",
        last_action_progress="done",
        last_action_note="  Papers now go out ten days ahead.  ",
    )
    assert saved.action_what == "" and saved.last_action_what == "Issue papers ten days ahead."
    assert (saved.last_action_progress, saved.last_action_note) == (
        "done",
        "Papers now go out ten days ahead.",
    )


def test_progress_without_an_action_last_year_is_refused(this_year, staff_a):
    with pytest.raises(ValidationError, match="no action last year"):
        save(this_year, Side.STAFF, staff_a, code="2.1", last_action_progress="done")


def test_what_came_of_it_names_no_one(this_year, rep_a1, rep_a2):
    with pytest.raises(ValidationError) as refused:
        save(
            this_year,
            Side.REPS,
            rep_a1,
            code="1.2",
            last_action_note="Agreed after AMIR  rep chased it",
        )
    assert refused.value.message_dict == {"last_action_note": [services.NAMED_IN_PROGRESS]}
    assert response(this_year, Side.REPS, "1.2").last_action_note == ""


def test_the_page_asks_only_where_there_was_an_action_and_saves_the_answer(
    client, this_year, staff_a
):
    url = reverse("standards:perspective_edit", args=[this_year.pk, "staff", 3])
    sign_in(client, staff_a)
    page = client.get(url).content.decode()
    assert page.count('<h3 id="item-3-3-last-title">Last year\'s action</h3>') == 1
    assert page.count("How far did it get?") == 1
    assert "Issue papers ten days ahead." in page

    client.post(
        url,
        from_the_page(
            client,
            url,
            then="later",
            **{
                "3.3": {
                    "last_action_progress": "partly",
                    "last_action_note": "Most papers now go out on time.",
                }
            },
        ),
    )
    saved = response(this_year, Side.STAFF, "3.3")
    assert (saved.last_action_progress, saved.last_action_note) == (
        "partly",
        "Most papers now go out on time.",
    )

    wrong = from_the_page(client, url, **{"3.3": {"last_action_progress": "finished-ish"}})
    assert "Choose done, partly done or not done." in client.post(url, wrong).content.decode()
    assert response(this_year, Side.STAFF, "3.3").last_action_progress == "partly"


def test_the_public_page_and_the_summary_say_how_far_the_actions_got(
    client, this_year, staff_a, rep_a1
):
    save(this_year, Side.STAFF, staff_a, last_action_progress="not_done")
    save(
        this_year,
        Side.REPS,
        rep_a1,
        code="1.2",
        last_action_progress="done",
        last_action_note="Every rep has one now.",
    )
    submit(this_year, Side.STAFF, staff_a)
    submit(this_year, Side.REPS, rep_a1)
    services.assessment_publish(assessment=this_year, by=staff_a, now=WHEN)

    published = published_assessment(this_year.board)
    assert [(p.code, p.side_label, p.what, p.progress, p.note) for p in published.progress] == [
        ("1.2", "Reps", "Agree a role description.", "Done", "Every rep has one now."),
        ("3.3", "Staff", "Issue papers ten days ahead.", "Not done", ""),
    ]
    page = client.get(reverse("public_board", args=[this_year.board.slug])).content.decode()
    assert "How far last year's actions got" in page and "Every rep has one now." in page
    summary = annual_summary(this_year.board, YEAR, today=date(2025, 3, 31))
    assert [p.progress for p in summary.assessment.progress] == ["Done", "Not done"]


def test_the_migration_gives_earlier_assessments_their_last_actions(this_year):
    Response.objects.update(last_action_what="")
    keep_last_years_actions(django_apps, None)
    assert response(this_year, Side.STAFF, "3.3").last_action_what == (
        "Issue papers ten days ahead."
    )
    assert response(this_year, Side.REPS, "1.2").last_action_what == "Agree a role description."
