"""The self-assessment demo data: three years for most boards, with the variety the national
comparison needs, made as the portal makes it, and nobody's name in what the boards wrote.

On the demo, every page, download and open data file that shows the published assessments
outside the boards is read for the demo people's names, which must never be there.
"""

import html
import io
import json
import random
from collections import defaultdict
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from openpyxl import load_workbook

from portal.core import periods
from portal.core.models import Board, User
from portal.demo import DEMO_BOARD_SLUG
from reps.models import BoardSettings, Rep
from standards import access, comparison, demo, exports, open_data
from standards.comparison import Lens
from standards.models import (
    Assessment,
    AssessmentEvent,
    Participant,
    Perspective,
    Recommendation,
    Response,
)
from standards.states import AssessmentStatus, PerspectiveStatus, Side
from tests.conftest import sign_in
from tests.demo.conftest import TODAY
from tests.factories import confirmed_totp_device

THIS_YEAR = periods.financial_year_of(TODAY)
YEARS = [THIS_YEAR - 2, THIS_YEAR - 1, THIS_YEAR]


def _counts():
    models = [Assessment, Perspective, Response, AssessmentEvent, Participant, User, Rep]
    counts = {model.__name__: model.objects.count() for model in models}
    counts |= {f"{model.__name__} history": model.history.count() for model in models[:3]}
    return counts


def _scores(assessment):
    """{side: {area code: score}} for the items each side scored."""
    scores = defaultdict(dict)
    for response in Response.objects.filter(perspective__assessment=assessment).select_related(
        "perspective", "area"
    ):
        if response.score is not None:
            scores[response.perspective.side][response.area.code] = response.score
    return scores


def _people_names() -> set[str]:
    """Every demo rep's and member of staff's full name, in lower case; only names of two words or
    more, so that no one-word name can match an ordinary word."""
    names = {
        *User.objects.filter(role__in=[User.Role.REP, User.Role.STAFF]).values_list(
            "full_name", flat=True
        ),
        *Rep.objects.values_list("full_name", flat=True),
    }
    return {name.lower() for name in names if " " in name}


def _read(response) -> str:
    """What a person or a program reads: a page or a CSV with its entities turned back into
    characters, JSON with its escapes undone, and every cell of every sheet of an XLSX."""
    assert response.status_code == 200, response
    content_type = response["Content-Type"]
    if content_type == exports.XLSX_TYPE:
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    if content_type.startswith("application/json"):
        return json.dumps(json.loads(response.content), ensure_ascii=False)
    return html.unescape(response.content.decode())


def _comparison_urls() -> list[str]:
    """Each year's comparison in each view with its downloads, a drill-down into each area, and
    every published board's trend with its downloads."""
    urls = []
    numbers = sorted(set(Recommendation.objects.values_list("number", flat=True)))
    for year in comparison.published_years():
        for lens in Lens:
            query = urlencode({"year": year, "view": lens.value})
            urls.append(f"{reverse('standards:comparison')}?{query}")
            for file_format in exports.FORMATS:
                urls.append(
                    f"{reverse('standards:comparison_download')}?{query}&format={file_format}"
                )
        urls.append(f"{reverse('standards:comparison_download')}?year={year}&table=figures")
        for number, lens in zip(numbers, [*Lens, Lens.REPS], strict=False):
            query = urlencode({"year": year, "view": lens.value})
            urls.append(f"{reverse('standards:comparison_area', args=[number])}?{query}")
            for file_format in exports.FORMATS:
                url = reverse("standards:comparison_area_download", args=[number])
                urls.append(f"{url}?{query}&format={file_format}")
    for board in _published_boards():
        urls.append(reverse("standards:comparison_board", args=[board.slug]))
        for file_format in exports.FORMATS:
            url = reverse("standards:comparison_board_download", args=[board.slug])
            urls.append(f"{url}?format={file_format}")
    return urls


def _open_data_urls() -> list[str]:
    urls = [reverse("standards:open_data")]
    for year in comparison.published_years():
        urls.append(reverse("standards:open_data_package", args=[year]))
        for name in open_data.FILES:
            for extension in open_data.MEDIA_TYPES:
                urls.append(reverse("standards:open_data_file", args=[year, name, extension]))
    return urls


def _published_boards() -> list[Board]:
    return list(
        Board.objects.filter(assessments__status=AssessmentStatus.PUBLISHED)
        .distinct()
        .order_by("name")
    )


class TestTheSelfAssessmentDemo:
    def test_three_years_for_most_boards(self):
        assert sorted(set(Assessment.objects.values_list("financial_year", flat=True))) == YEARS
        assert Assessment.objects.values("board").distinct().count() == 26
        boards_by_year = {
            year: Assessment.objects.filter(financial_year=year).count() for year in YEARS
        }
        assert boards_by_year == {YEARS[0]: 24, YEARS[1]: 24, YEARS[2]: 26}

    def test_enough_boards_published_each_year_for_national_medians_and_some_not(self):
        for year in YEARS:
            published = Assessment.objects.filter(
                financial_year=year, status=AssessmentStatus.PUBLISHED
            )
            assert published.count() >= 5, year
            drafts = Assessment.objects.filter(financial_year=year, status=AssessmentStatus.DRAFT)
            assert drafts.exists(), year
        # Earlier years are mostly done; this year is mostly still under way.
        earlier = Assessment.objects.filter(financial_year__lt=THIS_YEAR)
        assert earlier.filter(status=AssessmentStatus.PUBLISHED).count() > 0.85 * earlier.count()
        current = Assessment.objects.filter(financial_year=THIS_YEAR)
        assert current.filter(status=AssessmentStatus.DRAFT).count() > current.count() / 2

    def test_this_year_has_every_stage(self):
        stages = set()
        for assessment in Assessment.objects.filter(financial_year=THIS_YEAR).prefetch_related(
            "perspectives"
        ):
            sides = {p.side: p.status for p in assessment.perspectives.all()}
            stages.add((assessment.status, sides[Side.STAFF], sides[Side.REPS]))
        draft, submitted, closed = (
            PerspectiveStatus.DRAFT,
            PerspectiveStatus.SUBMITTED,
            PerspectiveStatus.CLOSED,
        )
        assert stages >= {
            (AssessmentStatus.DRAFT, draft, draft),
            (AssessmentStatus.DRAFT, submitted, draft),
            (AssessmentStatus.DRAFT, submitted, submitted),
            (AssessmentStatus.PUBLISHED, submitted, submitted),
            (AssessmentStatus.PUBLISHED, submitted, closed),
        }

    def test_some_published_without_the_reps_view_after_their_deadline(self):
        closed = Perspective.objects.filter(
            side=Side.REPS,
            status=PerspectiveStatus.CLOSED,
            assessment__status=AssessmentStatus.PUBLISHED,
        ).select_related("assessment")
        assert closed.count() >= 3
        for perspective in closed:
            event = perspective.assessment.events.get(to_status=PerspectiveStatus.CLOSED)
            assert event.at.date() > perspective.assessment.reps_deadline

    def test_the_staff_usually_rate_higher_with_gaps_of_two_or_more(self):
        higher = lower = gaps = 0
        for assessment in Assessment.objects.filter(status=AssessmentStatus.PUBLISHED):
            scores = _scores(assessment)
            for code, reps in scores[Side.REPS].items():
                staff = scores[Side.STAFF].get(code)
                if staff is None:
                    continue
                higher += staff > reps
                lower += staff < reps
                gaps += staff - reps >= 2
        assert higher > 3 * lower
        assert gaps >= 20

    def test_some_boards_improve_year_on_year(self):
        means = defaultdict(dict)
        for assessment in Assessment.objects.filter(status=AssessmentStatus.PUBLISHED):
            reps = _scores(assessment)[Side.REPS]
            if reps:
                means[assessment.board_id][assessment.financial_year] = Decimal(
                    sum(reps.values())
                ) / len(reps)
        improving = [
            board
            for board, by_year in means.items()
            if len(by_year) == 3 and by_year[YEARS[0]] < by_year[YEARS[1]] < by_year[YEARS[2]]
        ]
        assert len(improving) >= 2

    def test_some_items_not_assessed_each_with_a_reason(self):
        not_assessed = Response.objects.filter(not_assessed=True)
        assert not_assessed.count() >= 10
        assert not not_assessed.filter(not_assessed_reason="").exists()

    def test_actions_say_who_as_a_role_and_by_when(self):
        actions = Response.objects.exclude(action_what="")
        assert actions.count() > 200
        assert not actions.filter(action_who="").exists()
        assert not actions.filter(action_by__isnull=True).exists()
        roles = set(actions.values_list("action_who", flat=True))
        assert {"HSCP carers lead", "IJB chief officer", "Carers centre manager"} <= roles

    def test_last_years_action_plan_carries_over(self):
        carried = Response.objects.filter(action_carried_over=True).select_related(
            "perspective__assessment", "area"
        )
        assert carried.count() >= 50
        for response in carried[:50]:
            previous = response.perspective.assessment.carried_from
            assert previous is not None
            assert Response.objects.filter(
                perspective__assessment=previous,
                perspective__side=response.perspective.side,
                area__code=response.area.code,
                action_what=response.action_what,
                action_who=response.action_who,
            ).exists()

    def test_a_published_assessment_was_reopened_saying_why(self):
        reopenings = AssessmentEvent.objects.filter(
            subject="assessment",
            from_status=AssessmentStatus.PUBLISHED,
            to_status=AssessmentStatus.DRAFT,
        )
        assert reopenings.exists()
        assert not reopenings.filter(reason="").exists()
        # One reopened this year and not yet published again.
        assert any(
            event.assessment.status == AssessmentStatus.DRAFT
            and event.assessment.financial_year == THIS_YEAR
            for event in reopenings.select_related("assessment")
        )

    def test_each_side_was_scored_by_whom_the_portal_allows(self):
        """The staff's set by the board's staff lead; the reps' by a rep account of the board,
        which nobody can sign in with unless it is a demo sign-in."""
        responses = Response.objects.select_related(
            "perspective__assessment__board", "updated_by"
        ).exclude(action_carried_over=True)
        who = {
            (
                r.perspective.side,
                r.perspective.assessment.board,
                r.updated_by,
                timezone.localdate(r.updated_at),
            )
            for r in responses
        }
        for side, board, user, day in who:
            if side == Side.STAFF:
                assert access.is_lead(user, board)
            else:
                # A rep of the board on the day: one who scored an earlier year may have left.
                assert access.rep_on_board(user, board, day) is not None
                assert user.has_usable_password() == (user.email in demo.DEMO_REP_EMAILS)

    def test_the_demo_board_has_earlier_years_published_and_this_year_open_on_both_sides(self):
        board = Board.objects.get(slug=DEMO_BOARD_SLUG)
        by_year = {a.financial_year: a for a in Assessment.objects.filter(board=board)}
        assert sorted(by_year) == YEARS
        assert by_year[YEARS[0]].status == by_year[YEARS[1]].status == AssessmentStatus.PUBLISHED

        current = by_year[THIS_YEAR]
        assert current.status == AssessmentStatus.DRAFT
        assert current.reps_deadline > TODAY
        lead = User.objects.get(email="staff@example.org")
        rep, rep2 = (User.objects.get(email=email) for email in demo.DEMO_REP_EMAILS)
        staff_set = current.perspectives.get(side=Side.STAFF)
        reps_set = current.perspectives.get(side=Side.REPS)
        for perspective in (staff_set, reps_set):
            assert perspective.status == PerspectiveStatus.DRAFT
            scored = perspective.responses.filter(score__isnull=False).count()
            assert 0 < scored < 20
        assert access.is_lead(lead, board)
        assert set(reps_set.participants.values_list("rep__user", flat=True)) == {rep.pk, rep2.pk}
        # Neither side sees the other's draft.
        assert not access.may_see_perspective(lead, reps_set)
        assert not access.may_see_perspective(rep, staff_set)
        assert access.may_see_perspective(rep, reps_set)

    def test_no_name_of_a_demo_person_in_what_boards_wrote(self):
        names = {
            *User.objects.values_list("full_name", flat=True),
            *Rep.objects.values_list("full_name", flat=True),
        }
        names = {name.lower() for name in names if " " in name}
        texts = set()
        for row in Response.objects.values_list(
            "evidence", "action_what", "action_who", "not_assessed_reason"
        ):
            texts.update(row)
        texts.update(AssessmentEvent.objects.values_list("reason", flat=True))
        texts = {text.lower() for text in texts if text}
        assert len(texts) > 80
        assert not [(name, text) for text in texts for name in names if name in text]

    def test_no_demo_persons_name_on_any_national_page_download_open_data_or_public_page(
        self, client
    ):
        """Read as the national viewer and as anyone without signing in. A public board page
        names only whom the board chose to (its named contact, reps who asked to be listed), and
        its self-assessment section nobody at all."""
        names = _people_names()
        assert len(names) > 100
        viewer = User.objects.get(email="national@example.org")
        confirmed_totp_device(viewer)
        national, anyone = sign_in(client, viewer), Client()
        found = []

        def look(url, text, allowed=frozenset()):
            lowered = text.lower()
            found.extend((url, name) for name in names - allowed if name in lowered)

        national_urls = _comparison_urls()
        assert len(national_urls) > 100
        for url in national_urls:
            look(url, _read(national.get(url)))
            # Without signing in, the comparison is not there to read.
            assert anyone.get(url)["Location"].startswith(reverse("login"))
        for url in _open_data_urls():
            for reader in (national, anyone):
                look(url, _read(reader.get(url)))

        boards = _published_boards()
        assert len(boards) > 20
        contacts = dict(BoardSettings.objects.values_list("board_id", "contact_name"))
        chosen_found = chosen_listed = 0
        for board in boards:
            url = reverse("public_board", args=[board.slug])
            chosen = {
                name.lower()
                for name in (
                    contacts.get(board.pk, ""),
                    *Rep.objects.filter(board=board, listed_publicly=True).values_list(
                        "full_name", flat=True
                    ),
                )
                if name
            }
            chosen_listed += 2 * bool(chosen)
            for reader in (national, anyone):
                text = _read(reader.get(url))
                start = text.index('id="self-assessment"')
                section = text[start : text.index('id="interest"', start)]
                assert "published-scores" in section
                look(f"{url} (self-assessment)", section)
                look(url, text, allowed=chosen)
                chosen_found += any(name in text.lower() for name in chosen)
        # The search finds names where they are meant to be: the boards' named contacts.
        assert chosen_found == chosen_listed > 0
        assert found == []

    def test_seeding_again_adds_nothing(self):
        before = _counts()
        demo.seed(random.Random(7), TODAY)
        assert _counts() == before
