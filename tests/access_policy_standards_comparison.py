"""Access rules for the national comparison and open data.

Merged into the one table in tests/access_policy.py.

National viewers and staff see the comparison: the same national picture, staff with their own
boards marked, so staff of another board see board A's trend too (it shows only what board A
published). Reps and administrators are turned away, as from the national home. The open data is
public. Pages that need a published year are given one (board A's, in 2024/25).
"""

from tests.access_policy import PUBLIC, Rule, only
from tests.standards_fixtures import YEAR

COMPARISON = only(["staff_a", "staff_b", "national_viewer"])


def _published(ctx, **kwargs):
    """The URL's kwargs, once board A has a published assessment to compare."""
    from tests.test_standards_comparison import ensure_published

    ensure_published(ctx.board_a, YEAR)
    return kwargs


POLICY: dict[str, Rule] = {
    "standards:comparison": Rule(COMPARISON, note="reps and administrators: 403, as national_home"),
    "standards:comparison_download": Rule(COMPARISON, kwargs=lambda ctx: _published(ctx)),
    "standards:comparison_area": Rule(COMPARISON, kwargs=lambda ctx: _published(ctx, number=1)),
    "standards:comparison_area_download": Rule(
        COMPARISON, kwargs=lambda ctx: _published(ctx, number=1)
    ),
    "standards:comparison_board": Rule(
        COMPARISON,
        kwargs=lambda ctx: _published(ctx, slug=ctx.board_a.slug),
        note="staff of another board too: it shows only what the board published",
    ),
    "standards:comparison_board_download": Rule(
        COMPARISON, kwargs=lambda ctx: _published(ctx, slug=ctx.board_a.slug)
    ),
    "standards:open_data": Rule(PUBLIC),
    "standards:open_data_file": Rule(
        PUBLIC,
        kwargs=lambda ctx: _published(ctx, year=YEAR, name="area-scores", extension="csv"),
    ),
    "standards:open_data_package": Rule(PUBLIC, kwargs=lambda ctx: _published(ctx, year=YEAR)),
}
