"""What every self-assessment page shares: the trail back home, and the page's own words."""

from django.urls import reverse

from portal.core.models import User
from standards.models import Assessment
from standards.states import Side

_HOMES = {
    User.Role.STAFF: ("staff_home", "What needs doing"),
    User.Role.REP: ("rep_home", "Your home page"),
    User.Role.NATIONAL_VIEWER: ("national_home", "The national picture"),
    User.Role.ADMINISTRATOR: ("admin:index", "Administration"),
}
# Only staff and reps have a list of their boards' assessments to go back to.
LISTED_FOR = (User.Role.STAFF, User.Role.REP)

SIDE_OWNERS = {Side.STAFF: "the staff's", Side.REPS: "the reps'"}
SIDE_TITLES = {Side.STAFF: "The staff's scores", Side.REPS: "The reps' scores"}


def trail(
    user: User, assessment: Assessment | None = None, *, in_list: bool = True
) -> dict[str, str]:
    """Breadcrumbs for a self-assessment page: home, the list, the assessment. The list itself
    passes `in_list=False`: it is the page, not a step on the way to it."""
    name, label = _HOMES.get(user.role, ("home", "Home"))
    crumbs = {"home_url": reverse(name), "home_label": label}
    if in_list and user.role in LISTED_FOR:
        crumbs.update(
            parent_url=reverse("standards:assessment_list"), parent_label="Self-assessment"
        )
    if assessment is not None:
        url = reverse("standards:assessment_detail", args=[assessment.pk])
        label = f"{assessment.board.name} {assessment.year_label}"
        if "parent_url" in crumbs:
            crumbs.update(parent2_url=url, parent2_label=label)
        else:
            crumbs.update(parent_url=url, parent_label=label)
    return crumbs
