"""Publishing: a valid content folder becomes the live version in one transaction.

Everything is matched by UUID, so renamed folders and reworded items keep their history;
what is no longer in the folder is retired (is_active=False), never deleted. A question gets
a new QuestionVersion only when what learners see changed.
"""

import hashlib
import json
from pathlib import Path

from django.db import transaction

from codedrill.content.loader import ContentError, PatternSource, load_tree
from codedrill.content.markdown import highlight_code, render, render_html, render_inline
from codedrill.content.models import (
    ContentVersion,
    Experiment,
    Flashcard,
    ModePage,
    Pattern,
    Project,
    Question,
    QuestionVersion,
    Trace,
)
from codedrill.content.questions import QuestionSource, TraceSource
from codedrill.lab.engine import DEFAULT_MIDDLEWARE


class ContentInvalid(Exception):
    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__(f"{len(errors)} content error(s)")


@transaction.atomic
def publish(root: Path) -> ContentVersion:
    """Load `root` as a new content version, or raise ContentInvalid and change nothing."""
    patterns, errors = load_tree(root)
    errors += [
        ContentError(q.file.path, q.file.line("unproven"), f"unproven: {q.unproven}.")
        for source in patterns
        for q in source.questions
        if q.unproven is not None
    ]
    if errors:
        raise ContentInvalid(errors)
    version = ContentVersion.objects.create(
        source=str(root), summary=", ".join(p.slug for p in patterns)
    )
    kept = []
    for source in patterns:
        pattern = _publish_pattern(source, version)
        _publish_questions(pattern, source.questions, version)
        _publish_traces(pattern, source.traces, version)
        _publish_cards(pattern, source, version)
        _publish_experiments(pattern, source, version)
        _publish_project(pattern, source, version)
        kept.append(pattern.pk)
    Pattern.objects.exclude(pk__in=kept).update(is_active=False)
    return version


def _publish_pattern(source: PatternSource, version: ContentVersion) -> Pattern:
    # A slug freed by a renamed or removed pattern may be taken by this one.
    Pattern.objects.filter(slug=source.slug).exclude(uuid=source.uuid).update(
        slug=f"{source.slug}-retired-{version.pk}", is_active=False
    )
    pattern, _created = Pattern.objects.update_or_create(
        uuid=source.uuid,
        defaults={
            "slug": source.slug,
            "track": source.track,
            "title": source.title,
            "framework": source.framework,
            "summary": source.summary,
            "badge": source.badge,
            "badge_needs_project": source.badge_needs_project,
            "concepts": source.concepts,
            "minutes": source.minutes,
            "is_active": True,
            "version": version,
        },
    )
    pattern.pages.all().delete()
    pages = dict(source.pages)
    if source.cheatsheet:
        pages["review"] = source.cheatsheet
    for mode, text in pages.items():
        html, contents = render(text)
        ModePage.objects.create(pattern=pattern, mode=mode, html=html, contents=contents)
    return pattern


def _question_fields(q: QuestionSource) -> dict:
    """What learners see of a question, rendered; the digest of this decides a new version."""
    return {
        "kind": q.kind,
        "difficulty": q.difficulty,
        "category": q.category,
        "concepts": q.concepts,
        "pools": q.pools,
        "setup": q.setup.prose() if q.setup else "",
        "stem": render_html(q.stem),
        "code": q.code,
        "options": [
            {"id": o["id"], "html": render_inline(o["text"])}
            if q.kind != "blank"
            else {"id": o["id"], "text": o["text"], "blank": o["blank"]}
            for o in q.options
        ],
        "key": q.key,
        "rule": q.rule,  # plain text with `code`, shown through quiz.answers.inline_code
        "hint": render_html(q.hint),
        "solution": [render_html(step) for step in q.solution],
        "mistakes": [
            {
                ("answer" if "answer" in m else "option"): m.get("answer", m.get("option")),
                "html": render_html(m["why"]),
            }
            for m in q.mistakes
        ],  # fmt: skip
    }


def _publish_questions(pattern: Pattern, questions: list[QuestionSource], version) -> None:
    kept = []
    for q in questions:
        question, _created = Question.objects.update_or_create(
            uuid=q.id, defaults={"pattern": pattern, "slug": q.slug, "is_active": True}
        )
        fields = _question_fields(q)
        digest = hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()
        if question.current is None or question.current.digest != digest:
            # Highlighted once, here: a version never changes, and it is shown on every visit.
            code_html = highlight_code(q.code) if q.code else ""
            question.current = QuestionVersion.objects.create(
                question=question, content_version=version, digest=digest, code_html=code_html,
                **fields,
            )  # fmt: skip
            question.save(update_fields=["current"])
        kept.append(question.pk)
    pattern.questions.exclude(pk__in=kept).update(is_active=False)


def _trace_data(trace: TraceSource) -> dict:
    return {
        "setup": trace.setup.prose(),
        "flow": [render_inline(step) for step in trace.flow],
        "code": trace.code,
        "steps": [
            {
                "line": step["line"],
                "event": step.get("event", ""),
                "says": render_inline(step["says"]),
                "variables": step.get("variables", {}),
            }
            for step in trace.steps
        ],
        "moments": [render_inline(moment) for moment in trace.moments],
        "quiz": [
            {
                "id": str(item["id"]),
                "stem": render_html(item["stem"]),
                "options": [
                    {"id": o["id"], "html": render_inline(o["text"])} for o in item["options"]
                ],  # fmt: skip
                "key": item["key"],
                "solution": [render_html(step) for step in item["solution"]],
            }
            for item in trace.quiz
        ],
    }


def _publish_traces(pattern: Pattern, traces: list[TraceSource], version) -> None:
    kept = []
    for trace in traces:
        row, _created = Trace.objects.update_or_create(
            uuid=trace.id,
            defaults={
                "pattern": pattern,
                "slug": trace.slug,
                "title": trace.title,
                "data": _trace_data(trace),
                "is_active": True,
                "version": version,
            },
        )
        kept.append(row.pk)
    pattern.traces.exclude(pk__in=kept).update(is_active=False)


def _publish_cards(pattern: Pattern, source: PatternSource, version) -> None:
    kept = []
    for position, card in enumerate(source.cards):
        row, _created = Flashcard.objects.update_or_create(
            uuid=card.id,
            defaults={
                "pattern": pattern,
                "concept": card.concept,
                "front": render_html(card.front),
                "back": render_html(card.back),
                "position": position,
                "is_active": True,
                "version": version,
            },
        )
        kept.append(row.pk)
    pattern.cards.exclude(pk__in=kept).update(is_active=False)


def _publish_experiments(pattern: Pattern, source: PatternSource, version) -> None:
    kept = []
    for experiment in source.experiments:
        row, _created = Experiment.objects.update_or_create(
            uuid=experiment.id,
            defaults={
                "pattern": pattern,
                "slug": experiment.slug,
                "title": experiment.title,
                "question": experiment.question,
                "summary": render_html(experiment.summary),
                "site": experiment.site,
                "reading": experiment.reading,
                "endpoints": experiment.endpoints,
                "servers": experiment.servers,
                "parameters": experiment.parameters,
                # Stored as it runs: an experiment that names none gets Django's default stack.
                "middleware": (
                    list(DEFAULT_MIDDLEWARE)
                    if experiment.middleware is None
                    else experiment.middleware
                ),
                "database": experiment.database,
                "probe": experiment.probe,
                "site_models": experiment.models,
                "predict": experiment.predict,
                "tally": experiment.tally,
                "is_active": True,
                "version": version,
            },
        )
        kept.append(row.pk)
    pattern.experiments.exclude(pk__in=kept).update(is_active=False)


def _publish_project(pattern: Pattern, source: PatternSource, version) -> None:
    kept = []
    if project := source.project:
        hidden = project.hidden_names()
        steps = [
            {**step, "hint": render_html(step["hint"]),
             "explanation": render_html(step["explanation"]),
             "hidden_tests": [name for name in step["tests"] if name in hidden]}
            for step in project.steps
        ]  # fmt: skip
        row, _created = Project.objects.update_or_create(
            uuid=project.id,
            defaults={
                "pattern": pattern,
                "title": project.title,
                "goal": render_html(project.goal),
                "site": project.site,
                "models_file": project.models_file,
                "seed": project.seed,
                "database": project.database,
                "steps": steps,
                "limits": project.limits,
                "starter": project.starter,
                "solution": project.solution,
                "visible_tests": project.visible_tests,
                "hidden_tests": project.hidden_tests,
                "is_active": True,
                "version": version,
            },
        )
        kept.append(row.pk)
    pattern.projects.exclude(pk__in=kept).update(is_active=False)
