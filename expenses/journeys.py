"""Which of a rep's usual journeys goes to a meeting's venue, and the mileage item it makes.

Plain Python, no database: the claim from a meeting fills in a journey only when exactly one of
the rep's usual journeys goes to the meeting's venue, and asks the rep otherwise. A guess (the
first journey saved, say) once filled in 58 miles to the council chambers for a meeting at the
town hall, so nothing here ever picks a journey that does not match.
"""

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol

from expenses.calculations import Kind, Vehicle

_NOT_A_WORD = re.compile(r"[^\w]+")


class Journey(Protocol):
    """What a usual journey carries (`reps.models.UsualJourney`)."""

    from_area: str
    venue: str
    miles: Decimal


def place_key(place: str) -> str:
    """A place as it is compared: case, spacing and punctuation do not count.

    "Kirkintilloch  Town Hall," and "kirkintilloch town hall" are the same place; "Town Hall" and
    "Kirkintilloch Town Hall" are not (every town has one), so there is no partial match.
    """
    return " ".join(_NOT_A_WORD.sub(" ", place.casefold()).split())


def journeys_to(journeys: Sequence[Journey], venue: str) -> list[Journey]:
    """The journeys whose destination is the venue. A meeting with no venue matches none."""
    wanted = place_key(venue)
    if not wanted:
        return []
    return [journey for journey in journeys if place_key(journey.venue) == wanted]


def the_journey_to(journeys: Sequence[Journey], venue: str) -> Journey | None:
    """The one journey to the venue; None when none goes there or several do (the rep says)."""
    matching = journeys_to(journeys, venue)
    return matching[0] if len(matching) == 1 else None


def there_and_back(journey: Journey) -> Decimal:
    """A usual journey is kept one way, as the rep describes it; a meeting is a return trip."""
    return journey.miles * 2


def description(journey: Journey) -> str:
    return f"{journey.from_area} to {journey.venue} and back"[:200]


def mileage_inputs(journey: Journey) -> dict[str, Any]:
    """A car mileage item's inputs for the journey there and back."""
    return {
        "kind": Kind.MILEAGE,
        "miles": there_and_back(journey),
        "vehicle": Vehicle.CAR,
        "description": description(journey),
    }


def in_words(journey: Journey) -> str:
    """ "From G66 to Kirkintilloch Town Hall, 6 miles each way (12 there and back)"."""
    return (
        f"From {journey.from_area} to {journey.venue}, {_miles(journey.miles)} "
        f"{'mile' if journey.miles == 1 else 'miles'} each way "
        f"({_miles(there_and_back(journey))} there and back)"
    )


def _miles(miles: Decimal) -> str:
    return f"{miles.normalize():,f}"
