"""Access rules for one group of screens; merged into the one table in tests/access_policy.py.

Build rules with that module's helpers (Rule, outcome, only, REPS, STAFF, PUBLIC).
"""

POLICY: dict = {}
