"""Reading a framework edition from its file and putting it in the database, once.

The file is the statement of the framework: `standards/frameworks/<slug>.json`, with its title,
year, authors and version, its recommendation areas and their areas for development, each with
the actions the report says support improvement. A later edition is a new file with a new slug,
loaded beside the earlier one; assessments already made keep the edition they were made against.

`install` takes the model classes, so the data migration can pass its historical models and the
`load_framework` command the real ones.
"""

import hashlib
import json
from pathlib import Path
from typing import Any

FRAMEWORKS = Path(__file__).resolve().parent / "frameworks"
FIRST_EDITION = FRAMEWORKS / "more-than-equal-2024.json"


class FrameworkFileError(ValueError):
    """The file does not describe a framework edition the portal can load; says what is wrong."""


def _text(where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FrameworkFileError(f"{where} must be some text.")
    return value


def _texts(where: str, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise FrameworkFileError(f"{where} must be a list.")
    return [_text(f"{where} item {index}", item) for index, item in enumerate(value, 1)]


def _numbered(where: str, items: Any) -> list[dict[str, Any]]:
    if not isinstance(items, list) or not items:
        raise FrameworkFileError(f"{where} must be a list with at least one entry.")
    for expected, item in enumerate(items, 1):
        if not isinstance(item, dict) or item.get("number") != expected:
            raise FrameworkFileError(f"{where} must be numbered 1, 2, 3... in order.")
    return items


def check(data: Any) -> dict[str, Any]:
    """`data` if it has the shape of a framework edition; otherwise `FrameworkFileError`."""
    if not isinstance(data, dict):
        raise FrameworkFileError("A framework file holds one object.")
    for key in ("slug", "version", "title", "short_title", "published"):
        _text(key, data.get(key))
    if not isinstance(data.get("year"), int):
        raise FrameworkFileError("year must be a whole number.")
    _texts("authors", data.get("authors"))
    for recommendation in _numbered("recommendations", data.get("recommendations")):
        where = f"recommendation {recommendation['number']}"
        _text(f"{where} title", recommendation.get("title"))
        _texts(f"{where} resources", recommendation.get("resources", []))
        for area in _numbered(f"{where} areas", recommendation.get("areas")):
            code = f"{recommendation['number']}.{area['number']}"
            _text(f"{code} title", area.get("title"))
            actions = area.get("actions")
            if not isinstance(actions, list) or not actions:
                raise FrameworkFileError(f"{code} must list at least one action.")
            for action in actions:
                if not isinstance(action, dict):
                    raise FrameworkFileError(f"Each action of {code} must be an object.")
                _text(f"an action of {code}", action.get("text"))
                _texts(f"the points of an action of {code}", action.get("points", []))
    return data


def read(path: Path | str) -> dict[str, Any]:
    """The framework edition in the JSON file at `path`, checked."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise FrameworkFileError(f"{path} is not valid JSON: {error}") from error
    return check(data)


def checksum(data: dict[str, Any]) -> str:
    """A fingerprint of what the edition says, whatever the file's layout or key order."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def install(data: dict[str, Any], *, Framework: Any, Recommendation: Any, AreaForDevelopment: Any):  # noqa: N803
    """Put the edition in the database unless it is there already; returns (framework, created).

    Loading the same edition again changes nothing. A file that gives a loaded edition's slug but
    says something different is refused: earlier years' assessments were made against the words
    already loaded, so a new wording is a new edition with a new slug.
    """
    check(data)
    fingerprint = checksum(data)
    existing = Framework.objects.filter(slug=data["slug"]).first()
    if existing is not None:
        if existing.checksum != fingerprint:
            raise FrameworkFileError(
                f"An edition called {data['slug']} is already loaded with different wording. "
                "Give the new edition its own slug and version."
            )
        return existing, False
    framework = Framework.objects.create(
        slug=data["slug"],
        version=data["version"],
        title=data["title"],
        short_title=data["short_title"],
        year=data["year"],
        published=data["published"],
        authors=list(data["authors"]),
        checksum=fingerprint,
    )
    for entry in data["recommendations"]:
        recommendation = Recommendation.objects.create(
            framework=framework,
            number=entry["number"],
            title=entry["title"],
            context=entry.get("context", ""),
            resources=list(entry.get("resources", [])),
        )
        AreaForDevelopment.objects.bulk_create(
            AreaForDevelopment(
                recommendation=recommendation,
                number=area["number"],
                code=f"{entry['number']}.{area['number']}",
                title=area["title"],
                actions=area["actions"],
                note=area.get("note", ""),
            )
            for area in entry["areas"]
        )
    return framework, True
