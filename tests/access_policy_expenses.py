"""Access rules for the expenses screens (URL names are namespaced "expenses:...").

Build rules with the helpers in tests/access_policy.py (outcome, only, REPS, STAFF, PUBLIC);
see that module's docstring.
"""

POLICY: dict = {}
