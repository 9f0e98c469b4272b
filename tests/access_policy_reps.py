"""Access rules for the reps screens (URL names are namespaced "reps:...").

Build rules with the helpers in tests/access_policy.py (outcome, only, REPS, STAFF, PUBLIC);
see that module's docstring.
"""

POLICY: dict = {}
