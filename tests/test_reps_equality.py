"""Equality monitoring: only with consent, gone without trace when consent is withdrawn."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import connection

from reps import figures, services
from reps.admin import RepAdmin
from reps.models import EqualityRecord, Rep
from tests.factories import EqualityRecordFactory, RepFactory


def test_without_consent_nothing_is_kept(rep_a1):
    with pytest.raises(ValidationError) as refused:
        services.equality_record_save(
            rep=rep_a1.rep_profile, consent=False, answers={"age_band": "55-64"}, by=rep_a1
        )
    assert "only keep your answers if you agree" in str(refused.value)
    assert not EqualityRecord.objects.exists()


def test_every_question_is_optional(rep_a1):
    record = services.equality_record_save(
        rep=rep_a1.rep_profile, consent=True, answers={}, by=rep_a1
    )
    assert record.consent_given_at is not None
    assert [getattr(record, field) for field, _ in EqualityRecord.QUESTIONS] == [""] * 7


@pytest.mark.parametrize("field", [field for field, _ in EqualityRecord.QUESTIONS])
def test_every_question_offers_prefer_not_to_say(field):
    choices = dict(EqualityRecord._meta.get_field(field).choices)
    assert choices["prefer_not"] == "Prefer not to say"


def test_ethnic_groups_follow_scotlands_census(rep_a1):
    labels = EqualityRecord.EthnicGroup.labels
    assert "White: Scottish" in labels
    assert "White: Gypsy/Traveller" in labels
    assert "Pakistani, Scottish Pakistani or British Pakistani" in labels
    assert "African, Scottish African or British African" in labels
    assert "Arab, Scottish Arab or British Arab" in labels


def test_answers_can_be_changed_and_consent_is_kept_from_the_first_time(rep_a1):
    rep = rep_a1.rep_profile
    first = services.equality_record_save(
        rep=rep, consent=True, answers={"sex": "female"}, by=rep_a1
    )
    again = services.equality_record_save(
        rep=rep, consent=True, answers={"disability": "no"}, by=rep_a1
    )
    assert again.pk == first.pk
    assert again.consent_given_at == first.consent_given_at
    assert (again.sex, again.disability) == ("female", "no")


def test_an_answer_outside_the_choices_is_refused(rep_a1):
    with pytest.raises(ValidationError):
        services.equality_record_save(
            rep=rep_a1.rep_profile, consent=True, answers={"ethnic_group": "martian"}, by=rep_a1
        )


def test_withdrawing_consent_deletes_the_record_and_leaves_no_history(rep_a1):
    rep = rep_a1.rep_profile
    services.equality_record_save(
        rep=rep,
        consent=True,
        answers={"age_band": "75+", "ethnic_group": "white_polish"},
        by=rep_a1,
    )
    assert services.equality_consent_withdraw(rep=rep, by=rep_a1) is True

    assert not EqualityRecord.objects.filter(rep=rep).exists()
    # No history model or table exists for equality records, so no copy survives the delete.
    assert not hasattr(EqualityRecord, "history")
    history_tables = {
        model._meta.db_table
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
    }
    assert not any("equality" in table for table in history_tables)
    tables = connection.introspection.table_names()
    assert "reps_equalityrecord" in tables
    assert not any("historicalequality" in table for table in tables)
    # The rep's own history holds none of the answers.
    history_fields = {f.name for f in Rep.history.model._meta.get_fields()}
    assert not history_fields & {"age_band", "ethnic_group", "equality_record"}
    assert Rep.objects.filter(pk=rep.pk).exists()


def test_withdrawing_without_a_record_says_so(rep_a1):
    assert services.equality_consent_withdraw(rep=rep_a1.rep_profile, by=rep_a1) is False


def test_equality_records_are_not_in_the_admin():
    assert EqualityRecord not in admin.site._registry
    fields = {field for _, options in RepAdmin.fieldsets for field in options["fields"]}
    assert not any("equality" in field for field in fields)
    assert all(inline.model is not EqualityRecord for inline in RepAdmin.inlines)


def test_aggregates_are_suppressed(board_a):
    for _ in range(6):
        EqualityRecordFactory(rep__board=board_a, age_band="55-64", sex="female")
    for _ in range(2):
        EqualityRecordFactory(rep__board=board_a, age_band="75+", sex="male")
    EqualityRecordFactory(rep__board=board_a, age_band="", sex="prefer_not")
    RepFactory(board=board_a, user=None)  # no consent, so not counted at all

    equality = figures.equality_aggregates(Rep.objects.filter(board=board_a), threshold=5)
    assert equality.answered == "9"
    ages, sexes = equality.tables[0].counts, equality.tables[1].counts
    assert ages["55 to 64"] == "6"
    assert ages["75 or over"] == "fewer than 5"
    assert ages["Not answered"] == "fewer than 5"
    assert ages["Total"] == "9"
    assert (sexes["Female"], sexes["Male"], sexes["Prefer not to say"]) == (
        "6",
        "fewer than 5",
        "fewer than 5",
    )
    assert equality.tables[1].question == "What is your sex?"


@pytest.mark.parametrize(
    ("answering", "answered"), [(0, "0"), (1, "fewer than 5"), (4, "fewer than 5")]
)
def test_below_the_threshold_there_are_no_tables(board_a, answering, answered):
    """With one rep answering, a table would read "fewer than 5" beside their answer and 0
    beside every other, which tells anyone who knows who answered what they said."""
    for _ in range(answering):
        EqualityRecordFactory(rep__board=board_a, age_band="75+")

    equality = figures.equality_aggregates(Rep.objects.filter(board=board_a), threshold=5)

    assert (equality.answered, equality.tables, equality.nobody) == (answered, [], answering == 0)
