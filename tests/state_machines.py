"""Running a Hypothesis state machine inside one test's database.

Each run makes its machine (and its records) afresh in the database the test holds; the
machines made are handed back, so that a test can check the rules were tried both ways (some
step refused, some kept), not only that nothing failed.
"""

from collections.abc import Callable

from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test


def run_machines[M: RuleBasedStateMachine](
    make: Callable[[], M], *, examples: int, steps: int
) -> list[M]:
    machines: list[M] = []

    def machine() -> M:
        made = make()
        machines.append(made)
        return made

    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            # The fixtures hold the database every run shares; a run may take a while.
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    return machines
