"""The open data: each year's published scores and operational figures as CSV and JSON, for
anyone without signing in, described by a Frictionless data package that validates."""

import csv
import io
import json

import pytest
from frictionless import Package

from portal.core.models import Board
from standards.states import AssessmentStatus, PerspectiveStatus
from tests.factories import GroupFactory, MeetingFactory, SeatFactory
from tests.test_standards_comparison import (
    CANARY_ACTION,
    CANARY_DRAFT_SCORE,
    CANARY_EVIDENCE,
    CANARY_REASON,
    CANARY_REP,
    CANARY_STAFF,
    canaries,  # noqa: F401 - a fixture
    make_assessment,
    page_url,
)

FILES = ("area-scores", "item-scores", "operational-figures")


@pytest.fixture
def published(canaries, board_a):  # noqa: F811
    """Board A published (staff 5, reps 2) with canaries about; Orkney with not assessed items;
    board A's figures: a voting seat and a meeting with papers a week ahead."""
    make_assessment(
        Board.objects.get(name="Orkney IJB"), staff={"1.1": None}, reps={"4.4": None, "4.1": 6}
    )
    group = GroupFactory(board=board_a)
    SeatFactory(group=group, voting=True)
    from datetime import date

    MeetingFactory(group=group, date=date(2024, 6, 10), papers_issued_on=date(2024, 6, 3))
    return canaries


def get_file(client, name, extension, year=2024):
    return client.get(page_url("standards:open_data_file", year, name, extension))


def test_the_index_lists_each_year_with_its_files(client, published):
    make_assessment(Board.objects.get(name="Fife IJB"), 2022)
    page = client.get(page_url("standards:open_data")).content.decode()
    assert page.index("2024/25") < page.index("2022/23")
    assert "2023/24" not in page
    for name in FILES:
        for extension in ("csv", "json"):
            assert f'href="/open-data/2024/{name}.{extension}"' in page
    assert 'href="/open-data/2024/datapackage.json"' in page
    assert "Open Government Licence v3.0" in page


def test_the_addresses_are_stable():
    from django.urls import reverse

    assert reverse("standards:open_data") == "/open-data/"
    assert reverse("standards:open_data_package", args=[2024]) == "/open-data/2024/datapackage.json"
    assert (
        reverse("standards:open_data_file", args=[2024, "item-scores", "json"])
        == "/open-data/2024/item-scores.json"
    )


def test_a_year_nobody_published_and_a_file_that_does_not_exist_are_not_found(client, published):
    assert get_file(client, "area-scores", "csv", year=2023).status_code == 404
    assert get_file(client, "names", "csv").status_code == 404
    assert get_file(client, "area-scores", "xml").status_code == 404
    assert client.get(page_url("standards:open_data_package", 2023)).status_code == 404


def test_the_area_scores_hold_only_published_submitted_sets(client, published):
    response = get_file(client, "area-scores", "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    by_board = {(row["board"], row["perspective"]) for row in rows}
    assert by_board == {
        ("East Dunbartonshire IJB", "staff"),
        ("East Dunbartonshire IJB", "reps"),
        # Moray's reps' window was closed: its staff's scores only.
        ("Moray IJB", "staff"),
        ("Orkney IJB", "staff"),
        ("Orkney IJB", "reps"),
    }
    first = rows[0]
    assert first == {
        "financial_year": "2024/25",
        "board": "East Dunbartonshire IJB",
        "board_code": "east-dunbartonshire-ijb",
        "perspective": "staff",
        "recommendation_area": "1",
        "recommendation_title": "Strengthen recruitment and representation",
        "score": "5.0",
        "label": "Very good",
        "items_scored": "4",
        "items_not_assessed": "0",
    }
    orkney_reps_4 = next(
        row
        for row in rows
        if (row["board"], row["perspective"], row["recommendation_area"])
        == ("Orkney IJB", "reps", "4")
    )
    # 6, 4, 4 and one not assessed: 14 / 3.
    assert (orkney_reps_4["score"], orkney_reps_4["items_scored"]) == ("4.7", "3")
    assert orkney_reps_4["items_not_assessed"] == "1"


def test_the_item_scores_as_json(client, published):
    response = get_file(client, "item-scores", "json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    records = json.loads(response.content)
    orkney = [r for r in records if r["board"] == "Orkney IJB" and r["perspective"] == "staff"]
    assert orkney[0] == {
        "financial_year": "2024/25",
        "board": "Orkney IJB",
        "board_code": "orkney-ijb",
        "perspective": "staff",
        "recommendation_area": 1,
        "area_for_development": "1.1",
        "score": None,
        "label": "",
        "not_assessed": True,
    }
    assert len([r for r in records if r["board"] == "East Dunbartonshire IJB"]) == 40
    assert {r["score"] for r in records} - {None} <= {2, 3, 4, 5, 6}
    assert CANARY_DRAFT_SCORE not in {r["score"] for r in records}


def test_the_operational_figures_cover_every_board(client, published, board_a):
    records = json.loads(get_file(client, "operational-figures", "json").content)
    assert [r["board"] for r in records] == list(
        Board.objects.order_by("name").values_list("name", flat=True)
    )
    board = next(r for r in records if r["board_code"] == board_a.slug)
    assert board == {
        "financial_year": "2024/25",
        "board": "East Dunbartonshire IJB",
        "board_code": "east-dunbartonshire-ijb",
        "as_at": "2025-03-31",
        "rep_seats": 1,
        "vacant_seats": 1,
        "staff_filled_seats": 0,
        "voting_seats": 1,
        "median_notice_days": 7,
        "expenses_policy_published": board["expenses_policy_published"],
        "replacement_care_offered": False,
        "spend": 0,
    }


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("extension", ["csv", "json"])
def test_no_personal_data_in_any_file(client, published, name, extension):
    text = get_file(client, name, extension).content.decode()
    for canary in (CANARY_EVIDENCE, CANARY_ACTION, CANARY_REASON, CANARY_REP, CANARY_STAFF):
        assert canary not in text
    assert "HSCP carers lead" not in text


def test_the_data_package_names_its_licence_framework_and_files(client, published):
    response = client.get(page_url("standards:open_data_package", 2024))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    package = json.loads(response.content)
    assert package["licenses"] == [
        {
            "name": "OGL-UK-3.0",
            "path": "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            "title": "Open Government Licence v3.0",
        }
    ]
    assert package["framework"]["version"] == "2024.1"
    assert "More than equal" in package["framework"]["title"]
    assert package["sources"][0]["path"].endswith("/open-data/")
    assert [resource["path"] for resource in package["resources"]] == [
        f"{name}.{extension}" for name in FILES for extension in ("csv", "json")
    ]
    assert all(resource["schema"]["primaryKey"] for resource in package["resources"])


def test_the_data_package_validates_with_frictionless(client, published, tmp_path):
    """Each file written beside datapackage.json, as a researcher downloads them, then checked:
    every resource valid, every row matching its schema, no duplicate keys."""
    descriptor = client.get(page_url("standards:open_data_package", 2024)).content
    (tmp_path / "datapackage.json").write_bytes(descriptor)
    for resource in json.loads(descriptor)["resources"]:
        name, extension = resource["path"].rsplit(".", 1)
        response = get_file(client, name, extension)
        assert response.status_code == 200
        (tmp_path / resource["path"]).write_bytes(response.content)

    report = Package(str(tmp_path / "datapackage.json")).validate()

    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    assert len(report.tasks) == 6
    rows = {task.name: task.stats["rows"] for task in report.tasks}
    assert rows["area-scores"] == rows["area-scores-json"] == 5 * 4
    assert rows["item-scores"] == rows["item-scores-json"] == 5 * 20
    assert rows["operational-figures"] == rows["operational-figures-json"] == 31


def test_a_wrong_value_would_fail_the_validation(client, published, tmp_path):
    """The check can fail: a score off the scale is caught by the schema."""
    descriptor = client.get(page_url("standards:open_data_package", 2024)).content
    (tmp_path / "datapackage.json").write_bytes(descriptor)
    for resource in json.loads(descriptor)["resources"]:
        name, extension = resource["path"].rsplit(".", 1)
        content = get_file(client, name, extension).content
        if resource["path"] == "area-scores.csv":
            content = content.replace(b",5.0,Very good,", b",9.0,Very good,", 1)
        (tmp_path / resource["path"]).write_bytes(content)
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert not report.valid
    assert [task.name for task in report.tasks if not task.valid] == ["area-scores"]


def test_open_data_counts_only_what_was_published(client, board_a):
    make_assessment(
        board_a,
        staff=CANARY_DRAFT_SCORE,
        status=AssessmentStatus.DRAFT,
        staff_status=PerspectiveStatus.DRAFT,
        reps_status=PerspectiveStatus.DRAFT,
    )
    assert client.get(page_url("standards:open_data_package", 2024)).status_code == 404
    page = client.get(page_url("standards:open_data")).content.decode()
    assert "No board has published a self-assessment yet." in page
