"""`codedrill import gift FILE FOLDER`: a Moodle GIFT question file as the start of an author's
pattern folder. GIFT says what a question asks and which answer is right, never why: every
imported question is marked `unproven` until its author adds a proof or cites a lab run, so
`check` reports it and `publish` refuses it. What GIFT does not carry (hint, solution steps,
why each distractor tempts) is left as "To write:" text for the author."""

import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import yaml
from markdownify import markdownify

from codedrill.content.modes import MODE_SLUGS

CONCEPT = "imported"
TO_WRITE = "To write: "


@dataclass(frozen=True)
class Imported:
    written: list[str]  # question folders
    skipped: list[str]  # "name (GIFT kind)": kinds codedrill has no match for


def _unescaped(text: str) -> str:
    """GIFT text as codedrill content: its escapes undone, and its HTML (Moodle's usual
    format) as Markdown, since publishing keeps no raw HTML."""
    text = re.sub(r"\\([~=#{}:\\n])", lambda m: "\n" if m[1] == "n" else m[1], text.strip())
    found = re.match(r"^\[(html|markdown|plain|moodle)\]", text)
    text = text[found.end() :] if found else text
    if found is None or found[1] == "html":
        text = markdownify(text, heading_style="ATX", bullets="-")
    return text.strip()


def _weighed(option) -> tuple[float, str]:
    """A GIFT option's weight and text. The parser reads whole percentages only; Moodle also
    writes fractions (%33.33333%), which it leaves at the front of the text."""
    if found := re.match(r"%(-?[0-9.]+)%(.*)$", option.text, re.DOTALL):
        return float(found[1]) / 100, found[2]
    return option.percentage, option.text


def _slug(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:50].strip("-") or "question"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _question(gift_question, kind: str) -> dict:
    """The question.yaml of one GIFT question (single, multiple or short)."""
    options = [(*_weighed(o), o.feedback) for o in gift_question.answer.options]
    data = {
        "id": str(uuid.uuid4()),
        "unproven": "imported from GIFT: add a proof, or cite a lab experiment, that decides "
        "the key, then remove this line",
        "kind": kind,
        "difficulty": "medium",
        "category": "conceptual",
        "concepts": [CONCEPT],
        "pools": ["practice"],
        "stem": _unescaped(gift_question.text),
    }
    if kind == "short":  # the best accepted answer is the key
        data["key"] = _unescaped(max(options, key=lambda o: o[0])[1])
        wrong = [(text, why) for weight, text, why in options if weight <= 0]
        data["mistakes"] = [
            {"answer": _unescaped(text), "why": _unescaped(why) if why else f"{TO_WRITE}why."}
            for text, why in wrong
        ] or [{"answer": f"{TO_WRITE}a tempting wrong answer", "why": f"{TO_WRITE}why."}]
    else:
        ids = [f"option-{n}" for n in range(1, len(options) + 1)]
        data["options"] = [
            {"id": i, "text": _unescaped(text)}
            for i, (_w, text, _f) in zip(ids, options, strict=True)
        ]
        keyed = [i for i, (weight, _t, _f) in zip(ids, options, strict=True) if weight > 0]
        data["key"] = keyed[0] if kind == "single" else keyed
        data["mistakes"] = [
            {"option": i, "why": _unescaped(why) if why else f"{TO_WRITE}why this tempts."}
            for i, (_w, _t, why) in zip(ids, options, strict=True)
            if i not in keyed
        ]
    data["hint"] = f"{TO_WRITE}a nudge that does not give the answer away."
    data["solution"] = [f"{TO_WRITE}the first step.", f"{TO_WRITE}the step that decides."]
    data["rule"] = f"{TO_WRITE}the one-line rule this question checks."
    return data


def _kind(gift_question) -> str | None:
    # Only the kinds whose key means the same in codedrill; Moodle's other GIFT kinds
    # (true/false, matching, numerical, essay, missing word) have no codedrill kind yet.
    if getattr(gift_question, "text_continue", None):
        return None  # a missing-word question: the answer sits inside the sentence
    return {
        "MultipleChoiceRadio": "single",
        "MultipleChoiceCheckbox": "multiple",
        "Short": "short",
    }.get(type(gift_question.answer).__name__)


def import_gift(text: str, folder: Path, title: str) -> Imported:
    """Write `folder` (<content>/<track>/<pattern>, which must not exist) from GIFT `text`."""
    from pygiftparser import parser  # builds its grammar on first import: only when needed

    try:
        questions = parser.parse(text).questions
    except Exception as error:  # noqa: BLE001 - the parser raises bare and semantic errors alike
        raise ValueError(f"not valid GIFT: {error}") from error
    folder.mkdir(parents=True)
    pattern = {
        "uuid": str(uuid.uuid4()),
        "slug": folder.name,
        "title": title,
        "framework": f"{TO_WRITE}what it is about, with its version",
        "summary": f"{TO_WRITE}one or two sentences for the catalog.",
        "badge": f"{title} Mastery",
        "concepts": [{"slug": CONCEPT, "title": "Imported questions"}],
        "minutes": dict.fromkeys(MODE_SLUGS, 5),
    }
    _write(folder / "pattern.yaml", pattern)
    written, skipped, taken = [], [], set()
    for n, question in enumerate(questions, 1):
        name = question.name or f"question {n}"
        kind = _kind(question)
        if kind is None:
            skipped.append(f"{name} ({type(question.answer).__name__})")
            continue
        slug = _slug(name, taken)
        _write(folder / "questions" / slug / "question.yaml", _question(question, kind))
        written.append(slug)
    return Imported(written, skipped)


class _Dumper(yaml.SafeDumper):
    """Writes text of several lines as a block (`stem: |`), as authors write it."""


_Dumper.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None
    ),
)


def _write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=96)
    path.write_text(text)
