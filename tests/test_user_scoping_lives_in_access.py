"""Which rows a person may reach is decided in the access modules alone.

Every other module takes its querysets from an `access.py`, so a reader finds each rule in one
place and a new page cannot quietly widen it. This test reads every module of the portal and fails
on a queryset filter through a user relation (`user=`, `…__user`, memberships) anywhere else.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("portal", "reps", "expenses", "standards", "reports")
FILTERS = {"filter", "exclude", "get", "Q", "get_object_or_404", "get_list_or_404"}
USER_RELATION = re.compile(r"(^|__)user($|__)|memberships")


def _modules() -> list[Path]:
    return sorted(
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and path.name != "access.py"
    )


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _lookups(call: ast.Call) -> list[str]:
    """The field lookups a filter call names: keywords, and keys of a `**{...}` it unpacks."""
    names = [keyword.arg for keyword in call.keywords if keyword.arg]
    for keyword in call.keywords:
        if keyword.arg is None and isinstance(keyword.value, ast.Dict):
            for key in keyword.value.keys:
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    names.append(key.value)
                elif isinstance(key, ast.JoinedStr):
                    names.append(
                        "".join(
                            part.value if isinstance(part, ast.Constant) else "x"
                            for part in key.values
                        )
                    )
    return names


def user_filters(source: str) -> list[str]:
    """`line: lookup` for each filter through a user relation in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node.func) in FILTERS:
            found += [
                f"{node.lineno}: {lookup}"
                for lookup in _lookups(node)
                if USER_RELATION.search(lookup)
            ]
    return found


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Rep.objects.filter(user=user)", ["1: user"]),
        ("Claim.objects.filter(rep__user=request.user)", ["1: rep__user"]),
        ("Board.objects.filter(staff_memberships__user_id=1)", ["1: staff_memberships__user_id"]),
        ("Q(rep__user__isnull=False)", ["1: rep__user__isnull"]),
        ('qs.filter(**{f"staff_memberships__{name}": True})', ["1: staff_memberships__x"]),
        ("get_object_or_404(Rep, user=user)", ["1: user"]),
        ("Rep.objects.filter(board=board, user_count=2)", []),
        ("Rep.objects.create(user=user)", []),
        ("Claim.objects.filter(created_by=user)", []),
    ],
)
def test_the_reader_finds_filters_through_a_user_relation(source, expected):
    assert user_filters(source) == expected


def test_only_access_modules_filter_through_a_user_relation():
    outside = {
        str(path.relative_to(ROOT)): found
        for path in _modules()
        if (found := user_filters(path.read_text()))
    }
    assert outside == {}, "Take these querysets from an access module: " + repr(outside)
