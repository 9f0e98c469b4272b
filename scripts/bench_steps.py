"""Run one step of `make bench` inside the portal and write what it measured as JSON.

    python scripts/bench_steps.py STEP OUTPUT.json

The steps are in `scripts/bench_portal.py`. Django is set up only when this runs as a script: a
report's rendering process imports the main script again, and must not set up the portal for
nothing.
"""

import json
import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from bench_portal import STEPS

    step, target = sys.argv[1], Path(sys.argv[2])
    result: dict = {}
    STEPS[step](result)
    target.write_text(json.dumps(result, indent=2, default=str))
