"""A choice that is not on the list gets plain words that do not echo the value sent back."""

import pytest
from django import forms

from portal.core.forms import CHOICE_GONE
from portal.core.models import Board


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("a", "A")], required=False)
    typed = forms.TypedChoiceField(choices=[(1, "One")], coerce=int, required=False)
    several = forms.MultipleChoiceField(choices=[("a", "A")], required=False)
    board = forms.ModelChoiceField(queryset=Board.objects.all(), required=False)
    boards = forms.ModelMultipleChoiceField(queryset=Board.objects.all(), required=False)
    own_words = forms.ChoiceField(
        choices=[("a", "A")], required=False, error_messages={"invalid_choice": "Pick A."}
    )


@pytest.mark.django_db
def test_every_kind_of_choice_field_says_the_option_is_not_there(board_a):
    board = board_a
    form = Everything(
        {
            "plain": "<script>",
            "typed": "2",
            "several": ["a", "zz"],
            "board": str(board.pk + 1000),
            "boards": [str(board.pk), "not-a-number"],
            "own_words": "b",
        }
    )
    assert not form.is_valid()
    for name in ("plain", "typed", "several", "board", "boards"):
        assert form.errors[name] == [CHOICE_GONE], name
    assert form.errors["own_words"] == ["Pick A."]
    assert "<script>" not in str(form.errors)
