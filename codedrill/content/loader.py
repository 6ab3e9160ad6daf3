"""Read a content folder into plain objects, collecting every problem with file, line and fix.

Layout: <root>/<track>/<pattern-folder>/pattern.yaml, plus <mode>.md for the page modes.
Loading never stops at the first bad file: the caller gets all patterns it could read and all
errors, and decides (publish refuses the whole folder if there is any error).
"""

import difflib
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from codedrill.content.modes import MODE_SLUGS, PAGE_MODES

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PATTERN_FIELDS = {
    "uuid": "a UUID, e.g. from `python -c 'import uuid; print(uuid.uuid4())'`",
    "slug": "lowercase words joined by hyphens, used in URLs",
    "title": "the pattern's name as learners see it",
    "framework": "what the pattern is about, with its version, e.g. “Django 5.2”",
    "summary": "one or two sentences for the catalog",
    "badge": "the name of the badge the Challenge earns",
    "concepts": "a list of {slug, title} the questions are tagged with",
    "minutes": f"estimated minutes for each mode: {', '.join(MODE_SLUGS)}",
}


@dataclass(frozen=True)
class ContentError:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class PatternSource:
    folder: Path
    track: str
    uuid: uuid.UUID
    slug: str
    title: str
    framework: str
    summary: str
    badge: str
    concepts: list[dict]
    minutes: dict[str, int]
    pages: dict[str, str] = field(default_factory=dict)


class _Reader:
    """Reads one YAML mapping and remembers the line of every key, for error messages."""

    def __init__(self, path: Path, errors: list[ContentError]):
        self.path = path
        self.errors = errors
        self.lines: dict[str, int] = {}
        self.data: dict | None = None
        try:
            text = path.read_text(encoding="utf-8")
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.safe_load(text)
        except (OSError, UnicodeDecodeError) as exc:
            self.error(1, f"cannot read the file ({exc}).")
            return
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            problem = getattr(exc, "problem", None) or str(exc)
            self.error(line, f"invalid YAML: {problem}. Check indentation and quoting here.")
            return
        if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
            self.error(1, "expected a mapping of `field: value` lines at the top level.")
            return
        for key_node, _value in node.value:
            self.lines[str(key_node.value)] = key_node.start_mark.line + 1
        self.data = data

    def error(self, line: int, message: str) -> None:
        self.errors.append(ContentError(self.path, line, message))

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)

    def check_fields(self, known: dict[str, str]) -> bool:
        """Report missing and unknown fields; True if every required field is present."""
        assert self.data is not None
        for key in self.data:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f" Did you mean `{close[0]}`?" if close else ""
                allowed = ", ".join(known)
                self.error(self.line(key), f"unknown field `{key}`.{hint} Allowed: {allowed}.")
        missing = [key for key in known if key not in self.data]
        for key in missing:
            self.error(1, f"missing field `{key}`: {known[key]}.")
        return not missing

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.error(self.line(key), f"`{key}` must be non-empty text.")
            return None
        return value.strip()


def _read_pattern(pattern_yaml: Path, errors: list[ContentError]) -> PatternSource | None:
    reader = _Reader(pattern_yaml, errors)
    if reader.data is None or not reader.check_fields(PATTERN_FIELDS):
        return None
    data = reader.data
    before = len(errors)

    try:
        pattern_uuid = uuid.UUID(str(data["uuid"]))
    except ValueError:
        reader.error(reader.line("uuid"), f"`uuid` is not a UUID: {data['uuid']!r}.")
        pattern_uuid = None
    slug = reader.text("slug")
    if slug and not SLUG_RE.match(slug):
        reader.error(reader.line("slug"), f"`slug` {slug!r} must be lowercase-words-with-hyphens.")
    title, framework = reader.text("title"), reader.text("framework")
    summary, badge = reader.text("summary"), reader.text("badge")

    concepts = data["concepts"]
    if (
        not isinstance(concepts, list)
        or not concepts
        or not all(isinstance(c, dict) and set(c) == {"slug", "title"} for c in concepts)
    ):
        reader.error(reader.line("concepts"), "`concepts` must be a list of {slug, title}.")

    minutes = data["minutes"]
    if not isinstance(minutes, dict):
        reader.error(reader.line("minutes"), "`minutes` must map each mode to a number.")
    else:
        missing = [m for m in MODE_SLUGS if m not in minutes]
        unknown = [m for m in minutes if m not in MODE_SLUGS]
        bad = [m for m, v in minutes.items() if not isinstance(v, int) or not 0 < v <= 120]
        if missing or unknown or bad:
            reader.error(
                reader.line("minutes"),
                f"`minutes` needs a whole number from 1 to 120 for each of: "
                f"{', '.join(MODE_SLUGS)} (missing: {missing or 'none'}, "
                f"unknown: {unknown or 'none'}, not a number in range: {bad or 'none'}).",
            )
    if len(errors) > before:
        return None

    folder = pattern_yaml.parent
    pages = {}
    for mode in PAGE_MODES:
        page = folder / f"{mode}.md"
        if page.exists():
            try:
                pages[mode] = page.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                errors.append(ContentError(page, 1, f"cannot read the page ({exc})."))
    return PatternSource(
        folder=folder,
        track=folder.parent.name,
        uuid=pattern_uuid,
        slug=slug,
        title=title,
        framework=framework,
        summary=summary,
        badge=badge,
        concepts=concepts,
        minutes=minutes,
        pages=pages,
    )


def load_tree(root: Path) -> tuple[list[PatternSource], list[ContentError]]:
    errors: list[ContentError] = []
    if not root.is_dir():
        return [], [ContentError(root, 1, "content folder not found.")]
    patterns = []
    for pattern_yaml in sorted(root.glob("*/*/pattern.yaml")):
        source = _read_pattern(pattern_yaml, errors)
        if source:
            patterns.append(source)
    seen: dict[tuple[str, object], Path] = {}
    for source in patterns:
        for kind in ("uuid", "slug"):
            value = getattr(source, kind)
            first = seen.setdefault((kind, value), source.folder)
            if first != source.folder:
                errors.append(
                    ContentError(
                        source.folder / "pattern.yaml",
                        1,
                        f"duplicate {kind} {value} (also in {first}); each pattern needs its own.",
                    )
                )
    if not patterns and not errors:
        errors.append(ContentError(root, 1, "no <track>/<pattern>/pattern.yaml found."))
    return patterns, errors
