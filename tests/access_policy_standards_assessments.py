"""Access rules for a board's self-assessment pages.

Merged into the one table in tests/access_policy.py.
"""

from tests.access_policy import Rule  # noqa: F401

POLICY: dict[str, Rule] = {}
