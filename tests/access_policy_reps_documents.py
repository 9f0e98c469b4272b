"""Access rules for the documents boards give their reps.

Merged into the one table in tests/access_policy.py. Staff who manage reps add and change their
boards' documents; staff of another board get 404 for them. Reps read their board's documents
and the national ones; a rep of another board gets 404. A document marked public is for anyone,
signed in or not (tests/test_reps_documents.py: one not marked public is 404 there).
"""

from tests.access_policy import PUBLIC, REPS, STAFF, Rule, only
from tests.reps_documents_fixtures import make_document


def _document_of_board_a(ctx):
    return {"pk": make_document(ctx.board_a).pk}


def _public_document_of_board_a(ctx):
    return {"slug": ctx.board_a.slug, "pk": make_document(ctx.board_a, public=True).pk}


OTHER_BOARD = "staff of another board get 404, not 403"

POLICY: dict = {
    "reps:staff_document_list": Rule(only(STAFF), note="their boards' documents and national ones"),
    "reps:staff_document_add": Rule(only(STAFF)),
    "reps:staff_document_edit": Rule(
        only(["staff_a"], staff_b=404), kwargs=_document_of_board_a, note=OTHER_BOARD
    ),
    "reps:staff_document_remove": Rule(
        only(["staff_a"], staff_b=404), kwargs=_document_of_board_a, note=OTHER_BOARD
    ),
    "reps:staff_document_download": Rule(
        only(["staff_a"], staff_b=404), kwargs=_document_of_board_a, note=OTHER_BOARD
    ),
    "reps:my_documents": Rule(only(REPS), note="their board's documents and national ones"),
    "reps:my_document": Rule(
        only(["rep_a1", "rep_a2"], rep_b1=404),
        kwargs=_document_of_board_a,
        note="a rep of another board gets 404",
    ),
    "reps:public_document": Rule(
        PUBLIC, kwargs=_public_document_of_board_a, note="only a document marked public"
    ),
}
