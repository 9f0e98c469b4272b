"""What the self-assessment holds about one rep, for their own download ("Your data").

Only that they took part, and when: the reps' scores belong to all of a board's reps together,
and the rep reads them in the portal with the assessment.
"""

from portal.core.personal_data import Held, Kind
from reps.models import Rep
from standards.models import Participant

PARTICIPATION = Kind(
    "Your part in your board's self-assessment",
    "self-assessment.csv",
    "Each year's self-assessment where you worked on the reps' scores, and when you first and "
    "last did. The scores belong to your board's reps together, so they are not in the "
    "download: you can read them with the assessment in the portal.",
    ("Board", "Financial year", "First worked on", "Last worked on"),
)

KINDS = (PARTICIPATION,)


def held_about(rep: Rep) -> list[Held]:
    participants = (
        Participant.objects.filter(rep=rep)
        .select_related("perspective__assessment__board")
        .order_by("perspective__assessment__financial_year", "first_at", "pk")
    )
    return [
        Held(
            PARTICIPATION,
            tuple(
                (
                    participant.perspective.assessment.board.name,
                    participant.perspective.assessment.year_label,
                    participant.first_at,
                    participant.last_at,
                )
                for participant in participants
            ),
        )
    ]
