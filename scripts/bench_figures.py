"""How `make bench` turns timings into figures: paired ratios from interleaved rounds."""

import statistics
from collections.abc import Callable

ROUNDS = 5


def paired(
    first: Callable[[], float], second: Callable[[], float], rounds: int = ROUNDS
) -> list[float]:
    """`second() / first()` for each round, the two taken side by side, alternating which goes
    first so that neither always runs on a warmer machine."""
    ratios = []
    for number in range(rounds):
        if number % 2:
            b, a = second(), first()
        else:
            a, b = first(), second()
        ratios.append(b / a)
    return ratios


def figure(ratios: list[float]) -> dict[str, object]:
    """The median of the paired ratios, with their spread and every round."""
    return {
        "median": statistics.median(ratios),
        "low": min(ratios),
        "high": max(ratios),
        "rounds": [round(ratio, 4) for ratio in ratios],
    }
