"""The framework file says what More than Equal says, and loads once, beside later editions."""

import json

import pytest
from django.core.management import CommandError, call_command

from standards import loading, services
from standards.models import AreaForDevelopment, Assessment, Framework, Recommendation
from tests import standards_fixtures as shared
from tests.standards_fixtures import WHEN, YEAR, areas, first_edition

assessment_a = shared.assessment_a

# Worded as in the report's detail tables ("What needs to happen"), not its shorter headline list.
TITLES = {
    "1": "Strengthen recruitment and representation",
    "1.1": (
        "Proactive and inclusive recruitment to Carer and Lived Experience Rep positions to "
        "ensure representation and representativeness."
    ),
    "1.2": "Ensure Reps have a clear and transparent role and remit.",
    "1.3": "Ensure robust succession planning and induction processes are in place.",
    "1.4": (
        "Involve Reps in key planning groups, particularly governance and decision-making "
        "structures."
    ),
    "2": "Build capacity",
    "2.1": (
        "Support and resource structures for involvement and ensure Reps have support to link "
        "with these structures."
    ),
    "2.2": (
        "Have a pool of carers / people with lived experience to populate strategic groups, "
        "share responsibility and enable peer support."
    ),
    "2.3": (
        "Provide training on the importance, value and benefits of involvement for IJB members "
        "and wider strategic partners."
    ),
    "2.4": (
        "Provide resources and training for Reps (and other IJB members) to support and enable "
        "them to undertake their role."
    ),
    "2.5": (
        "Ensure engagement and involvement of Reps in national policy discussions and structures."
    ),
    "3": "Support equity of involvement",
    "3.1": "Ensure Reps are treated as equal partners and have voting rights.",
    "3.2": "Ensure Reps are able to place items on the agenda and there is time for discussion.",
    "3.3": (
        "Ensure meetings are accessible e.g. papers sent on time; addressing barriers to "
        "involvement."
    ),
    "3.4": (
        "Ensure an expenses policy is in place and full remuneration of expenses, including "
        "replacement care."
    ),
    "3.5": "Consider a form of payment for Reps on IJBs.",
    "3.6": "\u2018Carer / Lived Experience proof\u2019 plans and policies.",
    "3.7": "Ensure ongoing support to enable Reps to undertake their role.",
    "4": "Evaluate impact",
    "4.1": (
        "Evaluate the involvement of carers and people with lived experience. Publish findings "
        "in Annual Performance Reports to demonstrate progress and impact."
    ),
    "4.2": (
        "Monitor progress towards key national outcomes and indicators relating to carers and "
        "people with lived experience."
    ),
    "4.3": (
        "Report transparently on IJB/HSCP financial spend to support carers and people with "
        "lived experience."
    ),
    "4.4": "Review processes and performance annually against these report recommendations.",
}


def titles_in(data):
    found = {}
    for recommendation in data["recommendations"]:
        found[str(recommendation["number"])] = recommendation["title"]
        for area in recommendation["areas"]:
            found[f"{recommendation['number']}.{area['number']}"] = area["title"]
    return found


def test_the_file_holds_the_24_titles_of_the_report_word_for_word():
    assert len(TITLES) == 24
    assert titles_in(loading.read(loading.FIRST_EDITION)) == TITLES


def test_the_file_names_the_report_its_year_and_its_authors():
    data = loading.read(loading.FIRST_EDITION)
    assert data["title"].startswith("More than equal: valuing and supporting the expert")
    assert data["year"] == 2024
    assert data["published"] == "April 2024"
    assert data["version"]
    authors = " ".join(data["authors"])
    assert "COCIS" in authors and "the ALLIANCE" in authors


def test_every_area_for_development_lists_the_actions_of_the_report():
    data = loading.read(loading.FIRST_EDITION)
    actions = {
        f"{rec['number']}.{area['number']}": area["actions"]
        for rec in data["recommendations"]
        for area in rec["areas"]
    }
    assert all(actions.values())
    assert actions["1.2"][0]["text"].startswith("Provide all Carer and Lived Experience Reps")
    assert len(actions["1.3"][0]["points"]) == 7
    assert len(actions["3.4"]) == 4
    assert actions["4.4"][0]["text"] == (
        "Use these recommendations, areas for development and action to develop a framework to "
        "monitor progress of involvement locally, and to compare nationally."
    )


def test_the_migration_loaded_4_areas_and_4_5_7_4_areas_for_development(db):
    framework = first_edition()
    recommendations = framework.recommendations.order_by("number")
    assert [rec.areas.count() for rec in recommendations] == [4, 5, 7, 4]
    loaded = {str(rec.number): rec.title for rec in recommendations}
    loaded |= {area.code: area.title for area in areas(framework)}
    assert loaded == TITLES
    assert [area.code for area in areas(framework)] == [code for code in TITLES if "." in code]


def counts():
    return (
        Framework.objects.count(),
        Recommendation.objects.count(),
        AreaForDevelopment.objects.count(),
    )


def test_loading_the_same_edition_again_changes_nothing(db, capsys):
    before = counts()
    loaded_at = first_edition().loaded_at
    call_command("load_framework", str(loading.FIRST_EDITION))
    call_command("load_framework", str(loading.FIRST_EDITION))
    assert counts() == before == (1, 4, 20)
    assert first_edition().loaded_at == loaded_at
    assert "already loaded; nothing changed" in capsys.readouterr().out


def later_edition(tmp_path, **changes):
    data = loading.read(loading.FIRST_EDITION) | changes
    path = tmp_path / "edition.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path, data


def test_a_later_edition_is_added_beside_the_first_and_earlier_assessments_keep_theirs(
    tmp_path, assessment_a, capsys
):
    path, _ = later_edition(tmp_path, slug="more-than-equal-2026", version="2026.1", year=2026)
    call_command("load_framework", str(path))
    assert "Loaded More than Equal (2026)" in capsys.readouterr().out
    assert counts() == (2, 8, 40)
    assessment = Assessment.objects.get(pk=assessment_a.pk)
    assert assessment.framework == first_edition()
    # A year started after the new edition arrived is scored against it.
    later = services.assessment_start(
        board=assessment.board, financial_year=YEAR - 1, by=assessment.created_by, now=WHEN
    )
    assert later.framework.slug == "more-than-equal-2026"


def test_a_changed_wording_under_a_loaded_name_is_refused(tmp_path, db):
    path, _ = later_edition(tmp_path, title="More than equal, reworded")
    with pytest.raises(CommandError, match="already loaded with different wording"):
        call_command("load_framework", str(path))
    assert counts() == (1, 4, 20)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"year": "2024"}, "year must be a whole number"),
        ({"authors": "COCIS"}, "authors must be a list"),
        ({"recommendations": []}, "recommendations must be a list with at least one entry"),
        ({"title": "  "}, "title must be some text"),
    ],
)
def test_a_file_that_is_not_a_framework_is_refused_with_what_is_wrong(
    tmp_path, db, change, message
):
    path, _ = later_edition(tmp_path, slug="broken", **change)
    with pytest.raises(CommandError, match=message):
        call_command("load_framework", str(path))
    assert counts() == (1, 4, 20)


def test_areas_for_development_out_of_order_are_refused():
    data = loading.read(loading.FIRST_EDITION)
    data["recommendations"][2]["areas"].reverse()
    with pytest.raises(loading.FrameworkFileError, match="numbered 1, 2, 3"):
        loading.check(data)


def test_the_edition_knows_its_authors_in_a_sentence(db):
    assert first_edition().authors_line == (
        "Coalition of Carers in Scotland (COCIS) and Health and Social Care Alliance Scotland "
        "(the ALLIANCE)"
    )
    assert str(first_edition()) == "More than Equal (2024)"
    assert YEAR == 2024
