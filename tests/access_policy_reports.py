"""Access rules for the annual summaries.

Merged into the one table in tests/access_policy.py.

A summary names nobody, so national viewers and administrators read every board's; staff read
their own boards' and get 404 for another board's; reps are turned away with 403.
"""

from django.utils import timezone

from portal.core.periods import financial_year_of, tax_year_of
from tests.access_policy import Rule, only

READERS = ["staff_a", "staff_b", "national_viewer", "administrator"]
BOARD_A_READERS = only(["staff_a", "national_viewer", "administrator"], staff_b=404)


def _summary(ctx):
    return {"slug": ctx.board_a.slug, "year": financial_year_of(timezone.localdate())}


POLICY: dict[str, Rule] = {
    "reports:summary_list": Rule(only(READERS), note="each sees the boards they may read"),
    "reports:summary": Rule(
        BOARD_A_READERS, kwargs=_summary, note="another board's staff get 404, not 403"
    ),
    "reports:summary_pdf": Rule(BOARD_A_READERS, kwargs=_summary),
}


# Summary PDFs made in the background (reports.views_jobs). Staff ask for their board's and
# follow its job; national viewers and administrators also ask for every board's at once.


def _job_of_board_a(ctx):
    from reports import services

    job = services.summaries_request(
        by=ctx.personas.staff_a, board=ctx.board_a, financial_year=_summary(ctx)["year"]
    )
    return {"pk": job.pk}


def _made_file_of_board_a(ctx):
    from django.core.files.base import ContentFile

    from reports.models import FileState, SummaryFile

    file, _ = SummaryFile.objects.get_or_create(
        board=ctx.board_a, financial_year=_summary(ctx)["year"]
    )
    file.file.save("summary.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    file.state = FileState.DONE
    file.save()
    return {"pk": file.pk}


POLICY.update(
    {
        "reports:summary_generate": Rule(
            only(["staff_a", "national_viewer", "administrator"], status=302, staff_b=404),
            kwargs=_summary,
            method="post",
            note="on to the job's page; another board's staff get 404",
        ),
        "reports:summaries_generate_every_board": Rule(
            only(["national_viewer", "administrator"], status=302),
            method="post",
            note="every board's at once is for those who read every board's; without a year "
            "they are sent back to the list",
        ),
        "reports:job": Rule(BOARD_A_READERS, kwargs=_job_of_board_a, note="404 outside"),
        "reports:job_status": Rule(BOARD_A_READERS, kwargs=_job_of_board_a),
        "reports:summary_file": Rule(
            BOARD_A_READERS, kwargs=_made_file_of_board_a, note="board B's staff get 404"
        ),
    }
)


# The national report (reports.views_national) and reps' statements of payments
# (reports.views_statements). The national report is for those who read every board's figures.
# A rep reads only their own statements: the address carries no rep's number, so each rep gets
# their own. Staff of the rep's board produce one; staff of another board get 404.


def _with_paid_claims(ctx):
    """Each rep persona paid a claim today, so each has a statement for this tax year."""
    from expenses.models import Claim
    from tests.factories import ClaimFactory, ClaimItemFactory

    for user in (ctx.personas.rep_a1, ctx.personas.rep_a2, ctx.personas.rep_b1):
        if not Claim.objects.filter(rep=user.rep_profile, status="paid").exists():
            ClaimItemFactory(claim=ClaimFactory(rep=user.rep_profile, status="paid"))
    return tax_year_of(timezone.localdate())


REPS_OWN = only(["rep_a1", "rep_a2", "rep_b1"])
REP_A1_STATEMENT = only(["staff_a"], staff_b=404)
NATIONAL_READERS = only(["national_viewer", "administrator"])

POLICY.update(
    {
        "reports:national": Rule(
            NATIONAL_READERS, kwargs=lambda ctx: {"year": _summary(ctx)["year"]}
        ),
        "reports:national_pdf": Rule(
            NATIONAL_READERS, kwargs=lambda ctx: {"year": _summary(ctx)["year"]}
        ),
        "reports:my_statement": Rule(REPS_OWN, note="the rep's own tax years"),
        "reports:my_statement_pdf": Rule(
            REPS_OWN,
            kwargs=lambda ctx: {"year": _with_paid_claims(ctx)},
            note="each rep gets their own statement; there is no address for another rep's",
        ),
        "reports:staff_rep_statements": Rule(
            REP_A1_STATEMENT,
            kwargs=lambda ctx: {"pk": ctx.personas.rep_a1.rep_profile.pk},
            note="another board's staff get 404, not 403",
        ),
        "reports:staff_rep_statement_pdf": Rule(
            REP_A1_STATEMENT,
            kwargs=lambda ctx: {
                "pk": ctx.personas.rep_a1.rep_profile.pk,
                "year": _with_paid_claims(ctx),
            },
        ),
    }
)
