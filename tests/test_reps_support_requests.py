"""A rep asks for training or support in their own words; the staff who manage the board's reps
hear of it, answer it (arranged, or why not), and the rep reads the answer on their training page
and in an email. The year's requests are evidence for More than Equal 2.4.

Over any sequence of asking, answering and withdrawing, by the rep and by staff (Hypothesis), a
request moves only as `SupportRequest.TRANSITIONS` allow, an answer always says something, and
the rep is emailed each answer that stands.
"""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from reps import personal_data, retention, services, support_news
from reps.models import NeedsConversation, SupportRequest
from standards.evidence import evidence_for
from tests.conftest import sign_in
from tests.expenses_own_fixtures import page_text
from tests.factories import StaffMembershipFactory, SupportRequestFactory, TermFactory
from tests.state_machines import run_machines

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ASK = reverse("reps:my_support_ask")
TRAINING = reverse("reps:my_training")


def ask(rep_user, what="Understanding the IJB budget", **extra):
    return services.support_request_ask(
        rep=rep_user.rep_profile, kind="training", what=what, by=rep_user, **extra
    )


def answer_url(support):
    return reverse("reps:staff_support_request", args=[support.pk])


# Asking


def test_the_rep_asks_and_sees_it_waiting(client, rep_a1):
    sign_in(client, rep_a1)
    response = client.post(
        ASK,
        {"kind": "support", "what": "  A mentor who has been a rep  ", "details": "Before May."},
    )

    assert response.status_code == 302
    support = SupportRequest.objects.get()
    assert (support.rep, support.kind, support.what, support.details) == (
        rep_a1.rep_profile,
        "support",
        "A mentor who has been a rep",
        "Before May.",
    )
    assert (support.status, support.asked_on, support.answered_on) == ("asked", TODAY, None)
    assert support.history.first().history_user == rep_a1
    page = page_text(client.get(TRAINING))
    assert "A mentor who has been a rep Support in the role, asked on" in page
    assert "Waiting for an answer" in page


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({}, "Choose training or support."),
        ({"kind": "training"}, "Enter what would help you."),
        ({"kind": "training", "what": "   "}, "Enter what would help you."),
        ({"kind": "lessons", "what": "Budgets"}, "That option is not available any more."),
        ({"kind": "training", "what": "x" * 201}, "Keep this to 200 characters or fewer"),
        (
            {"kind": "training", "what": "Budgets", "details": "x" * 2001},
            "Keep this to 2,000 characters or fewer.",
        ),
    ],
)
def test_wrong_input_is_explained_and_kept(client, rep_a1, posted, message):
    response = sign_in(client, rep_a1).post(ASK, posted)

    assert response.status_code == 200
    assert message in page_text(response)
    assert not SupportRequest.objects.exists()
    if posted.get("details"):
        # What the rep wrote is still in the box, so nothing typed is lost.
        assert posted["details"] in response.content.decode()


def test_the_same_request_twice_while_it_waits_makes_one(client, rep_a1):
    sign_in(client, rep_a1)
    client.post(ASK, {"kind": "training", "what": "Understanding the IJB budget"})
    response = client.post(ASK, {"kind": "training", "what": "understanding the IJB BUDGET "})

    assert "“understanding the IJB BUDGET” is already asked for and waiting" in page_text(response)
    assert SupportRequest.objects.count() == 1


def test_the_same_request_again_after_an_answer_is_a_new_one(rep_a1, staff_a):
    first = ask(rep_a1)
    services.support_request_answer(
        request=first, status="not_possible", answer="Full this year.", by=staff_a
    )
    ask(rep_a1)
    assert SupportRequest.objects.count() == 2


def test_the_boards_rep_managers_are_emailed_naming_neither_rep_nor_request(
    rep_a1, board_a, board_b, staff_a, django_capture_on_commit_callbacks
):
    StaffMembershipFactory(board=board_a, can_manage_reps=False, user__email="fin@example.org")
    StaffMembershipFactory(board=board_b, user__email="fife@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        support = ask(rep_a1, what="Papers in large print")

    [message] = mail.outbox
    assert message.to == [staff_a.email]
    assert "A rep of" in message.body
    assert "training or a course" in message.body
    assert "Papers in large print" not in message.body
    assert rep_a1.rep_profile.full_name not in message.body
    assert answer_url(support) in message.body


def test_a_request_staff_record_emails_nobody(rep_a1, staff_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        support = services.support_request_ask(
            rep=rep_a1.rep_profile, kind="support", what="A lift to meetings", by=staff_a
        )
    assert mail.outbox == []
    assert support.history.first().history_user == staff_a


def test_staff_record_a_request_from_the_reps_record(client, rep_a1, staff_a):
    rep = rep_a1.rep_profile
    sign_in(client, staff_a)
    url = reverse("reps:staff_support_add", args=[rep.pk])
    assert "Enter what would help" in page_text(client.post(url, {"kind": "support"}))

    response = client.post(url, {"kind": "support", "what": "A lift to meetings"})

    assert response.status_code == 302
    detail = page_text(client.get(reverse("reps:staff_rep_detail", args=[rep.pk])))
    assert "A lift to meetings , asked on" in detail


def test_nobody_asks_for_a_rep_they_do_not_act_for(rep_a1, rep_a2, staff_b):
    for someone in (rep_a2, staff_b):
        with pytest.raises(PermissionDenied):
            services.support_request_ask(
                rep=rep_a1.rep_profile, kind="training", what="Budgets", by=someone
            )
    assert not SupportRequest.objects.exists()


# Answering


def test_staff_answer_and_the_rep_reads_it_and_is_emailed(
    client, rep_a1, staff_a, django_capture_on_commit_callbacks
):
    support = ask(rep_a1)
    sign_in(client, staff_a)
    listed = page_text(client.get(reverse("reps:staff_support_requests")))
    assert "Understanding the IJB budget Training or a course Waiting for an answer" in listed

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            answer_url(support),
            {"status": "arranged", "answer": "The finance officer will meet you on 3 March."},
        )

    assert response.status_code == 302
    support.refresh_from_db()
    assert (support.status, support.answered_on) == ("arranged", TODAY)
    assert support.history.first().history_user == staff_a
    [message] = mail.outbox
    assert message.to == [rep_a1.email]
    assert message.subject == "Your request: arranged"
    assert "You asked for: Understanding the IJB budget" in message.body
    assert "The finance officer will meet you on 3 March." in message.body
    mine = page_text(sign_in(client, rep_a1).get(TRAINING))
    assert "Arranged on" in mine
    assert "The finance officer will meet you on 3 March." in mine


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({}, "Choose whether it is arranged or not possible."),
        ({"status": "arranged"}, "Enter what to tell the rep."),
        ({"status": "not_possible", "answer": "   "}, "Enter what to tell the rep."),
        ({"status": "withdrawn", "answer": "Gone"}, "That option is not available any more."),
        ({"status": "asked", "answer": "Later"}, "That option is not available any more."),
    ],
)
def test_a_wrong_answer_is_explained_and_nothing_changes(client, rep_a1, staff_a, posted, message):
    support = ask(rep_a1)
    response = sign_in(client, staff_a).post(answer_url(support), posted)

    assert response.status_code == 200
    assert message in page_text(response)
    support.refresh_from_db()
    assert (support.status, support.answer) == ("asked", "")


def test_the_service_refuses_an_answer_with_nothing_to_tell(rep_a1, staff_a):
    support = ask(rep_a1)
    for status, said in (("arranged", "what is arranged"), ("not_possible", "why it is not")):
        with pytest.raises(ValidationError, match=said):
            services.support_request_answer(request=support, status=status, answer=" ", by=staff_a)
    with pytest.raises(ValidationError, match="arranged or not possible"):
        services.support_request_answer(request=support, status="withdrawn", answer="x", by=staff_a)


def test_not_possible_can_be_arranged_after_all_but_arranged_is_settled(client, rep_a1, staff_a):
    support = ask(rep_a1)
    services.support_request_answer(
        request=support, status="not_possible", answer="Full this year.", by=staff_a
    )
    sign_in(client, staff_a)
    assert "Arrange it after all" in page_text(client.get(answer_url(support)))
    client.post(answer_url(support), {"status": "arranged", "answer": "A place came free."})
    support.refresh_from_db()
    assert (support.status, support.answer) == ("arranged", "A place came free.")

    page = page_text(client.get(answer_url(support)))
    assert "Save the answer" not in page
    client.post(answer_url(support), {"status": "not_possible", "answer": "Changed my mind."})
    support.refresh_from_db()
    assert support.answer == "A place came free."


def test_an_answer_changed_before_the_email_goes_tells_only_the_one_that_stands(rep_a1, staff_a):
    support = ask(rep_a1, notify=False)
    services.support_request_answer(
        request=support, status="not_possible", answer="Full.", by=staff_a, notify=False
    )
    services.support_request_answer(
        request=support, status="arranged", answer="A place.", by=staff_a, notify=False
    )
    assert support_news.email_support_answered.call(support.pk, "not_possible") == 0
    assert support_news.email_support_answered.call(support.pk, "arranged") == 1
    # Answered before the staff's email went: there is nothing to ask them.
    assert support_news.email_support_requested.call(support.pk) == 0


def test_staff_are_told_to_tell_a_rep_who_takes_no_email(client, staff_a, board_a):
    support = SupportRequestFactory(
        rep__board=board_a, rep__full_name="Peggy Paper", rep__email="", rep__phone="01234 567890"
    )
    response = sign_in(client, staff_a).post(
        answer_url(support), {"status": "arranged", "answer": "Booked."}, follow=True
    )
    assert "Peggy Paper has no email address, so they are not told by email" in page_text(response)
    assert mail.outbox == []


def test_staff_of_another_board_cannot_answer(rep_a1, staff_b):
    support = ask(rep_a1)
    with pytest.raises(PermissionDenied):
        services.support_request_answer(
            request=support, status="arranged", answer="Yes", by=staff_b
        )


def test_the_list_filters_by_status_and_puts_the_longest_waiting_first(client, staff_a, board_a):
    for what, asked, status in (
        ("Newer waiting", TODAY - timedelta(days=2), "asked"),
        ("Older waiting", TODAY - timedelta(days=9), "asked"),
        ("Answered", TODAY - timedelta(days=1), "withdrawn"),
    ):
        SupportRequestFactory(rep__board=board_a, what=what, asked_on=asked, status=status)
    sign_in(client, staff_a)
    url = reverse("reps:staff_support_requests")

    page = page_text(client.get(url))
    assert page.index("Older waiting") < page.index("Newer waiting") < page.index("Answered")
    waiting = page_text(client.get(url, {"status": "asked"}))
    assert "Newer waiting" in waiting
    assert "Answered" not in waiting
    training = page_text(client.get(reverse("reps:staff_training_list")))
    assert "Requests for training or support from reps : 2 waiting for an answer" in training


# Withdrawing


def test_the_rep_withdraws_a_request_still_waiting(client, rep_a1):
    support = ask(rep_a1)
    sign_in(client, rep_a1)
    url = reverse("reps:my_support_withdraw", args=[support.pk])
    assert "Withdraw your request for “Understanding the IJB budget”?" in page_text(client.get(url))

    response = client.post(url, follow=True)

    assert "Your request for “Understanding the IJB budget” is withdrawn." in page_text(response)
    support.refresh_from_db()
    assert support.status == "withdrawn"


def test_an_answered_request_is_not_withdrawn(client, rep_a1, staff_a):
    support = ask(rep_a1)
    services.support_request_answer(request=support, status="arranged", answer="Yes", by=staff_a)
    response = sign_in(client, rep_a1).post(reverse("reps:my_support_withdraw", args=[support.pk]))

    assert "A request that is arranged cannot be withdrawn." in page_text(response)
    support.refresh_from_db()
    assert support.status == "arranged"


def test_another_reps_request_is_not_found(client, rep_a1, rep_a2):
    support = ask(rep_a1)
    response = sign_in(client, rep_a2).post(reverse("reps:my_support_withdraw", args=[support.pk]))
    assert response.status_code == 404
    support.refresh_from_db()
    assert support.status == "asked"


# The year's evidence, the rep's data, and forgetting


def test_the_years_requests_are_counted_for_2_4(board_a):
    year = 2025
    in_year = date(2025, 6, 1)
    for status in ("asked", "arranged", "arranged", "not_possible", "withdrawn"):
        SupportRequestFactory(
            rep__board=board_a,
            asked_on=in_year,
            status=status,
            answer="Said" if status in ("arranged", "not_possible") else "",
            answered_on=in_year if status in ("arranged", "not_possible") else None,
        )
    SupportRequestFactory(rep__board=board_a, asked_on=date(2026, 4, 1))

    lines = [str(line) for line in evidence_for(board_a, year)["2.4"]]

    assert lines[-3:] == [
        "Requests from reps for training or support: 4",
        "Requests answered: 3 of 4",
        "Requests arranged: 2 of 4",
    ]


def test_the_rep_downloads_what_they_asked_for_and_forgetting_blanks_it(rep_a1, staff_a):
    support = ask(rep_a1, details="My hearing makes big rooms hard.")
    services.support_request_answer(
        request=support, status="arranged", answer="A hearing loop is booked.", by=staff_a
    )
    rep = rep_a1.rep_profile
    held = {held.kind.file_name: held.rows for held in personal_data.held_about(rep)}
    [row] = held["training-and-support-requests.csv"]
    assert row[2:] == (
        "Understanding the IJB budget",
        "My hearing makes big rooms hard.",
        "Arranged",
        TODAY,
        "A hearing loop is booked.",
    )

    retention.forget_rep(rep=rep, today=TODAY)

    support.refresh_from_db()
    assert (support.what, support.details) == ("", "")
    assert support.answer == retention.REMOVED_ANSWER
    for version in support.history.all():
        assert "hearing" not in f"{version.details} {version.answer}"
    assert SupportRequest.objects.filter(rep=rep, status="arranged").count() == 1


# Any sequence of actions


class RequestsMachine(RuleBasedStateMachine):
    """A rep's requests, asked, answered and withdrawn in any order by the rep and by staff.
    The model: each request's status and answer, and the emails the rep should have had."""

    def __init__(self, *, rep_user, staff, capture):
        super().__init__()
        self.rep_user, self.staff, self.capture = rep_user, staff, capture
        SupportRequest.objects.filter(rep=rep_user.rep_profile).delete()
        self.model: dict[int, tuple[str, str]] = {}
        self.refused = 0
        self.answers_sent = 0
        mail.outbox.clear()
        # Every run starts with something asked, so that answers are tried from the first step.
        self.model[ask(rep_user, what="Budgets", notify=False).pk] = ("asked", "")

    def _done(self, work) -> bool:
        try:
            with transaction.atomic():
                work()
        except ValidationError:
            self.refused += 1
            return False
        return True

    def _request(self, index) -> SupportRequest | None:
        ids = sorted(self.model)
        return SupportRequest.objects.get(pk=ids[index % len(ids)]) if ids else None

    @rule(what=st.sampled_from(["Budgets", "budgets ", "A mentor"]))
    def the_rep_asks(self, what):
        waiting = {
            SupportRequest.objects.get(pk=pk).what.lower()
            for pk, (status, _) in self.model.items()
            if status == "asked"
        }
        made = []
        done = self._done(lambda: made.append(ask(self.rep_user, what=what, notify=False)))
        assert done == (what.strip().lower() not in waiting)
        if done:
            self.model[made[0].pk] = ("asked", "")

    def _answer(self, index, status, answer):
        support = self._request(index)
        if support is None:
            return
        now, _ = self.model[support.pk]
        allowed = status in SupportRequest.TRANSITIONS[SupportRequest.Status(now)]
        with self.capture(execute=True):
            done = self._done(
                lambda: services.support_request_answer(
                    request=support, status=status, answer=answer, by=self.staff
                )
            )
        assert done == (allowed and bool(answer.strip()))
        if done:
            self.model[support.pk] = (status, answer)
            self.answers_sent += 1

    @rule(index=st.integers(0, 5), status=st.sampled_from(["arranged", "not_possible"]))
    def staff_answer(self, index, status):
        self._answer(index, status, "Booked for May.")

    @rule(index=st.integers(0, 5), status=st.sampled_from(["arranged", "not_possible"]))
    def staff_answer_with_nothing_to_say(self, index, status):
        self._answer(index, status, "  ")

    @rule(index=st.integers(0, 5))
    def the_rep_withdraws(self, index):
        support = self._request(index)
        if support is None:
            return
        now, answer = self.model[support.pk]
        done = self._done(
            lambda: services.support_request_withdraw(request=support, by=self.rep_user)
        )
        assert done == (now == "asked")
        if done:
            self.model[support.pk] = ("withdrawn", answer)

    @invariant()
    def the_records_are_the_model(self):
        rows = SupportRequest.objects.filter(rep=self.rep_user.rep_profile)
        assert {row.pk: (row.status, row.answer) for row in rows} == self.model
        for row in rows:
            assert (row.answered_on is not None) == (row.status in SupportRequest.ANSWERS)

    @invariant()
    def the_rep_had_each_answer(self):
        # Tasks run at once in tests: each answer that stood was emailed as it was given.
        assert len(mail.outbox) == self.answers_sent


def test_any_sequence_of_requests_keeps_to_the_rules(
    rep_a1, staff_a, django_capture_on_commit_callbacks
):
    machines = run_machines(
        lambda: RequestsMachine(
            rep_user=rep_a1, staff=staff_a, capture=django_capture_on_commit_callbacks
        ),
        examples=25,
        steps=12,
    )
    assert sum(made.refused for made in machines) > 0
    assert sum(made.answers_sent for made in machines) > 0


def test_the_staff_home_counts_the_requests_waiting_as_they_come_and_go(client, rep_a1, staff_a):
    home = reverse("staff_home")
    sign_in(client, staff_a)
    assert "No request from a rep is waiting for an answer." in page_text(client.get(home))

    support = ask(rep_a1, notify=False)
    ask(rep_a1, what="A mentor", notify=False)
    assert "2 requests from reps waiting for an answer." in page_text(client.get(home))

    services.support_request_answer(request=support, status="arranged", answer="Yes", by=staff_a)
    assert "1 request from reps waiting for an answer." in page_text(client.get(home))


# Conversations about a rep's needs


def test_staff_record_a_conversation_and_the_rep_reads_what_was_agreed(client, rep_a1, staff_a):
    rep = rep_a1.rep_profile
    url = reverse("reps:staff_conversation_add", args=[rep.pk])
    sign_in(client, staff_a)
    yesterday = TODAY - timedelta(days=1)

    response = client.post(
        url, {"held_on": f"{yesterday:%d/%m/%Y}", "agreed": "A course on the IJB budget."}
    )

    assert response.status_code == 302
    conversation = rep.needs_conversations.get()
    assert (conversation.held_on, conversation.agreed) == (yesterday, "A course on the IJB budget.")
    assert conversation.history.first().history_user == staff_a
    detail = page_text(client.get(reverse("reps:staff_rep_detail", args=[rep.pk])))
    assert f"{yesterday:%-d %b %Y}: A course on the IJB budget." in detail
    mine = page_text(sign_in(client, rep_a1).get(TRAINING))
    assert f"{yesterday:%-d %B %Y}: A course on the IJB budget." in mine


@pytest.mark.parametrize(
    ("held_on", "message"),
    [
        ("", "Enter the date of the conversation."),
        ("next Tuesday", "Enter the date as DD/MM/YYYY"),
        ("31/02/2026", "is not a real date"),
        ((TODAY + timedelta(days=1)).strftime("%d/%m/%Y"), "The date must be"),
    ],
)
def test_a_wrong_date_is_explained_and_nothing_is_recorded(
    client, rep_a1, staff_a, held_on, message
):
    url = reverse("reps:staff_conversation_add", args=[rep_a1.rep_profile.pk])
    response = sign_in(client, staff_a).post(url, {"held_on": held_on, "agreed": "Kept"})
    assert response.status_code == 200
    assert message in page_text(response)
    assert "Kept" in response.content.decode()
    assert not rep_a1.rep_profile.needs_conversations.exists()


def test_the_service_refuses_a_conversation_still_to_come_and_other_boards_staff(
    rep_a1, staff_a, staff_b
):
    rep = rep_a1.rep_profile
    with pytest.raises(ValidationError, match="once it has taken place"):
        services.needs_conversation_record(rep=rep, held_on=TODAY + timedelta(days=1), by=staff_a)
    for someone in (staff_b, rep_a1):
        with pytest.raises(PermissionDenied):
            services.needs_conversation_record(rep=rep, held_on=TODAY, by=someone)
    assert not rep.needs_conversations.exists()


def test_the_reps_in_post_whose_needs_were_discussed_in_the_year_are_counted_for_2_4(board_a):
    year = 2025
    talked, not_talked, talked_last_year = (
        TermFactory(
            seat__group__board=board_a,
            rep__board=board_a,
            start=date(2024, 4, 1),
            planned_end=date(2027, 3, 31),
        ).rep
        for _ in range(3)
    )
    NeedsConversation.objects.create(rep=talked, held_on=date(2025, 9, 1))
    NeedsConversation.objects.create(rep=talked, held_on=date(2026, 1, 1))
    NeedsConversation.objects.create(rep=talked_last_year, held_on=date(2025, 3, 31))

    lines = [str(line) for line in evidence_for(board_a, year, today=date(2026, 3, 31))["2.4"]]

    assert (
        "Reps in post whose training and support needs were discussed in the year: 1 of 3" in lines
    )
    assert not_talked.needs_conversations.count() == 0


def test_the_rep_downloads_their_conversations_and_forgetting_blanks_what_was_agreed(
    rep_a1, staff_a
):
    rep = rep_a1.rep_profile
    services.needs_conversation_record(
        rep=rep, held_on=TODAY, agreed="Help with my hearing at meetings.", by=staff_a
    )
    held = {held.kind.file_name: held.rows for held in personal_data.held_about(rep)}
    assert held["needs-conversations.csv"] == ((TODAY, "Help with my hearing at meetings."),)

    retention.forget_rep(rep=rep, today=TODAY)

    conversation = rep.needs_conversations.get()
    assert conversation.agreed == ""
    assert {version.agreed for version in conversation.history.all()} == {""}


def test_staff_see_the_reps_in_post_due_a_conversation_the_longest_waiting_first(
    client, board_a, staff_a
):
    def seated(name):
        return TermFactory(
            seat__group__board=board_a,
            rep__board=board_a,
            rep__full_name=name,
            start=TODAY - timedelta(days=800),
            planned_end=TODAY + timedelta(days=300),
        ).rep

    never, long_ago, lately = seated("Una Never"), seated("Lena Longago"), seated("Rita Recent")
    NeedsConversation.objects.create(rep=long_ago, held_on=TODAY - timedelta(days=400))
    NeedsConversation.objects.create(rep=lately, held_on=TODAY - timedelta(days=30))
    gone = TermFactory(
        seat__group__board=board_a,
        rep__board=board_a,
        rep__full_name="Gail Gone",
        start=date(2019, 4, 1),
        planned_end=date(2022, 3, 31),
    ).rep

    page = page_text(sign_in(client, staff_a).get(reverse("reps:staff_training_list")))

    section = page[page.index("Reps to talk with about their needs") :]
    section = section[: section.index("Financial year")]
    assert "(2)" in section
    assert section.index(never.full_name) < section.index(long_ago.full_name)
    assert f"{never.full_name} None recorded Record a conversation" in section
    assert lately.full_name not in section
    assert gone.full_name not in section


def test_the_withdraw_page_of_an_answered_request_offers_nothing_to_withdraw(
    client, rep_a1, staff_a
):
    support = ask(rep_a1)
    services.support_request_answer(request=support, status="arranged", answer="Yes", by=staff_a)
    page = page_text(
        sign_in(client, rep_a1).get(reverse("reps:my_support_withdraw", args=[support.pk]))
    )
    assert "This request is arranged, so there is nothing to withdraw." in page
    assert "Withdraw the request" not in page
