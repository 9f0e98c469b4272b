from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from expenses.selectors import claims_at_a_glance, meetings_to_claim
from portal.core.kept_pages import kept_page
from portal.core.record_changes import kept_until_changed
from reps import rules, selectors
from reps.access import own_rep_required
from standards.selectors import waiting_for_rep


@never_cache
@own_rep_required
@kept_page
def rep_home(request, rep):
    """A rep's own home, in the order a rep on a phone needs it: claims waiting on them, the next
    meeting, then their term and induction, meetings either side of today and training.

    Everything is read here, as lists, so that nothing is asked of the database while the page
    renders, and kept until the records change."""
    today = timezone.localdate()
    worked_out = kept_until_changed(
        f"rep-home:{rep.pk}",
        lambda: {
            "overview": selectors.rep_overview(rep, today=today),
            "claims": claims_at_a_glance(rep),
            "to_claim": meetings_to_claim(rep, today=today),
            # The board's self-assessment, while the reps' scores are still to give.
            "assessments_waiting": waiting_for_rep(rep, today),
            "contact": selectors.board_settings(rep.board),
        },
    )
    # Asked as the end comes into the board's warning time for terms ending, so there is time
    # to plan who follows.
    ask_from = rules.add_months(today, worked_out["contact"].succession_lead_months)
    for term in worked_out["overview"].terms:
        term.ask_afterwards = (
            not term.afterwards and term.ended_on is None and term.start <= today
        ) and term.planned_end <= ask_from
    return render(request, "portal/home_rep.html", {"rep": rep, "today": today, **worked_out})
