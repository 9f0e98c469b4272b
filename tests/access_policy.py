"""Who gets what from every URL: the one policy table the access matrix test checks.

Each URL name maps to how to build its arguments and the status each persona must get.
A URL in the URLconf that is missing here fails the suite, so a new page cannot ship without
someone deciding who may see it.
"""

from dataclasses import dataclass, field

PERSONAS = (
    "anonymous",
    "rep_a1",
    "rep_a2",
    "rep_b1",
    "staff_a",
    "staff_b",
    "national_viewer",
    "administrator",
)
REPS = ("rep_a1", "rep_a2", "rep_b1")
STAFF = ("staff_a", "staff_b")
SIGNED_IN = PERSONAS[1:]
# Personas for combinations of roles, each expected to get what another persona gets unless a
# rule says otherwise. Staff of board A whose account is also linked to a rep record of board A
# (a seat filled by staff) see the staff pages by their memberships; the rep pages are for rep
# accounts, so they get the staff's 403 there too. Staff of board A linked to a rep record of
# board B get no more than staff of board A: the rep record opens nothing of board B.
MIRRORS = {"staff_rep_a": "staff_a", "staff_a_rep_b": "staff_a"}
ALL_PERSONAS = (*PERSONAS, *MIRRORS)


def expected_for(expected: dict[str, int], persona: str) -> int:
    return expected[persona] if persona in expected else expected[MIRRORS[persona]]


@dataclass(frozen=True)
class Rule:
    expected: dict[str, int]
    kwargs: object = None  # a function of the test context returning the URL's kwargs
    method: str = "get"
    # What each persona gets from a POST, where that differs from what GET gives them.
    post: dict[str, int] = field(default_factory=dict)
    note: str = ""
    sample: tuple[str, ...] = field(default=())


def outcome(default: int, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    expected = {persona: default for persona in SIGNED_IN}
    expected["anonymous"] = anonymous
    expected.update(overrides)
    return expected


def only(personas, status=200, others=403, anonymous=302, **overrides: int) -> dict[str, int]:
    return outcome(others, anonymous, **dict.fromkeys(personas, status), **overrides)


PUBLIC = outcome(200, anonymous=200)

POLICY: dict[str, Rule] = {
    # Public pages.
    "start": Rule(outcome(302, anonymous=200), note="signed-in people go to their home page"),
    "accessibility": Rule(PUBLIC),
    "privacy": Rule(PUBLIC),
    "login": Rule(outcome(302, anonymous=200), note="already signed in: on to the home page"),
    "password_reset": Rule(PUBLIC),
    "password_reset_done": Rule(PUBLIC),
    "password_reset_confirm": Rule(
        PUBLIC, kwargs=lambda ctx: {"uidb64": "MQ", "token": "not-a-real-token"}
    ),
    "password_reset_complete": Rule(PUBLIC),
    "invitation_open": Rule(
        PUBLIC,
        kwargs=lambda ctx: {"token": "not-a-real-token"},
        note="a link that does not work says so, and what to do",
    ),
    "invitation_set_password": Rule(PUBLIC, note="without a link followed: says what to do"),
    # Every signed-in person.
    "home": Rule(outcome(302), note="each role is sent to its own home page"),
    "logout": Rule(outcome(405), note="signing out is a POST"),
    "password_change": Rule(outcome(200)),
    "password_change_done": Rule(outcome(200)),
    "mfa_setup": Rule(
        outcome(302, **dict.fromkeys(REPS, 200)),
        note="reps may turn the second step on; the others have a device already",
    ),
    "mfa_verify": Rule(outcome(200, **dict.fromkeys(REPS, 302))),
    "mfa_turn_off": Rule(
        outcome(403, **dict.fromkeys(REPS, 200)),
        note="reps only, who may turn it off again with a code; staff accounts must keep it",
    ),
    "mfa_enrol": Rule(
        outcome(200),
        kwargs=lambda ctx: {"uidb64": "MQ", "token": "not-a-real-token"},
        note="a link that is not good for the account signed in says so, and sets nothing up",
    ),
    # One role each.
    "rep_home": Rule(only(REPS)),
    "my_data": Rule(only(REPS), note="what the portal holds about the rep signed in, no one else"),
    "my_data_download": Rule(only(REPS), note="no id in the address: only ever the rep's own"),
    "staff_rep_data_download": Rule(
        only(["staff_a"], staff_b=404),
        kwargs=lambda ctx: {"rep_pk": ctx.personas.rep_a1.rep_profile.pk},
        note="a rep's data for their request, by staff who manage reps on the rep's board; "
        "staff of another board get 404",
    ),
    "staff_home": Rule(only(STAFF)),
    "national_home": Rule(only(["national_viewer"])),
    "staff_board": Rule(
        only(["staff_a"], others=403, staff_b=404),
        kwargs=lambda ctx: {"slug": ctx.board_a.slug},
        note="another board's staff get 404, not 403",
    ),
}

# The Django admin: every one of its URLs is for administrators only; two stand for all.
NAMESPACE_POLICY: dict[str, Rule] = {
    "admin": Rule(
        only(["administrator"], others=302),
        sample=("admin:index", "admin:portal_user_changelist"),
        note="non-administrators are sent to the admin sign-in",
    ),
}


def _merge_app_policies() -> None:
    """Each app's screens keep their rows in tests/access_policy_<app>.py; one table results."""
    from tests import (
        access_policy_expenses_own,
        access_policy_expenses_staff,
        access_policy_reports,
        access_policy_reps_documents,
        access_policy_reps_own,
        access_policy_reps_recruitment,
        access_policy_reps_staff,
        access_policy_standards_assessments,
        access_policy_standards_comparison,
    )

    for module in (
        access_policy_reps_staff,
        access_policy_reps_own,
        access_policy_reps_recruitment,
        access_policy_reps_documents,
        access_policy_expenses_own,
        access_policy_expenses_staff,
        access_policy_standards_assessments,
        access_policy_standards_comparison,
        access_policy_reports,
    ):
        overlap = set(POLICY) & set(module.POLICY)
        assert not overlap, f"URL names with two rules: {overlap}"
        POLICY.update(module.POLICY)


_merge_app_policies()
