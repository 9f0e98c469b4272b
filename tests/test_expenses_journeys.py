"""Which usual journey goes to a meeting's venue: a table of cases, no database."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from expenses import journeys


@dataclass
class J:
    from_area: str
    venue: str
    miles: Decimal = Decimal("6")


CHAMBERS = J("G66", "Kirkintilloch council chambers", Decimal("29"))
TOWN_HALL = J("G66", "Kirkintilloch Town Hall")
TOWN_HALL_FROM_WORK = J("G64", "kirkintilloch town hall", Decimal("9"))


@pytest.mark.parametrize(
    ("usual", "venue", "expected"),
    [
        # The finding: a meeting at the town hall never takes the journey to the chambers.
        ([CHAMBERS], "Kirkintilloch Town Hall", None),
        ([CHAMBERS, TOWN_HALL], "Kirkintilloch Town Hall", TOWN_HALL),
        ([TOWN_HALL, CHAMBERS], "Kirkintilloch Town Hall", TOWN_HALL),
        # Case, spacing and punctuation do not count.
        ([TOWN_HALL], "  KIRKINTILLOCH   town hall ", TOWN_HALL),
        ([TOWN_HALL], "Kirkintilloch Town Hall.", TOWN_HALL),
        ([J("G66", "St. Mary's Hall, Lenzie")], "St Mary's Hall Lenzie", "first"),
        ([J("G66", "St Mary's Hall, Lenzie")], "st mary's hall lenzie", "first"),
        # No partial match: every town has a town hall.
        ([TOWN_HALL], "Town Hall", None),
        ([J("G66", "Town Hall")], "Kirkintilloch Town Hall", None),
        # Two journeys to the venue: the rep says which.
        ([TOWN_HALL, TOWN_HALL_FROM_WORK], "Kirkintilloch Town Hall", None),
        # A meeting with no venue, or a rep with no journeys, matches nothing.
        ([TOWN_HALL], "", None),
        ([TOWN_HALL], "   ", None),
        ([J("G66", "")], "", None),
        ([], "Kirkintilloch Town Hall", None),
    ],
)
def test_the_journey_to_a_venue(usual, venue, expected):
    if expected == "first":
        expected = usual[0]
    assert journeys.the_journey_to(usual, venue) is expected


def test_every_journey_to_the_venue_is_found():
    usual = [CHAMBERS, TOWN_HALL, TOWN_HALL_FROM_WORK]
    assert journeys.journeys_to(usual, "Kirkintilloch Town Hall") == [
        TOWN_HALL,
        TOWN_HALL_FROM_WORK,
    ]


@pytest.mark.parametrize(
    ("journey", "words"),
    [
        (TOWN_HALL, "From G66 to Kirkintilloch Town Hall, 6 miles each way (12 there and back)"),
        (
            J("Lenzie", "Bearsden", Decimal("8.5")),
            "From Lenzie to Bearsden, 8.5 miles each way (17 there and back)",
        ),
        (
            J("G66", "Kilsyth", Decimal("1")),
            "From G66 to Kilsyth, 1 mile each way (2 there and back)",
        ),
        (
            J("G66", "Inverness", Decimal("1200.0")),
            "From G66 to Inverness, 1,200 miles each way (2,400 there and back)",
        ),
    ],
)
def test_a_journey_in_words(journey, words):
    assert journeys.in_words(journey) == words


def test_a_journey_makes_a_car_mileage_item_there_and_back():
    assert journeys.mileage_inputs(J("G66", "Kirkintilloch Town Hall", Decimal("8.5"))) == {
        "kind": "mileage",
        "miles": Decimal("17.0"),
        "vehicle": "car",
        "description": "G66 to Kirkintilloch Town Hall and back",
    }
