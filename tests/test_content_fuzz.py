"""Whatever an author writes, validation answers with errors, never with a crash."""

import shutil
import string
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLE_CONTENT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codedrill.content.loader import load_tree
from codedrill.content.questions import QUESTION_OPTIONAL, QUESTION_REQUIRED, TRACE_REQUIRED

pytestmark = pytest.mark.content

PATTERN = "examples/awaiting-basics"
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(string.ascii_letters + " `<>_-:(){}\n", max_size=30),
    st.sampled_from(["single", "order", "blank", "practice", "easy", "await-basics", "___1___"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def assert_points_at_file_and_line(errors, root: Path) -> None:
    """Every error names a content file under `root` and a line inside it (or just past its
    end, where YAML found the text cut short), or a folder (a pool too small) at line 1."""
    for error in errors:
        assert error.path.is_relative_to(root), error
        lines = 0 if error.path.is_dir() else len(error.path.read_text().splitlines())
        assert 1 <= error.line <= lines + 1, error


def mutate(base: dict, fields: list[str], changes: dict, dropped: list[str]) -> dict:
    data = {key: value for key, value in base.items() if key not in dropped}
    data.update({fields[i % len(fields)]: value for i, value in changes.items()})
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    changes=st.dictionaries(st.integers(0, 30), values, max_size=4),
    dropped=st.lists(st.sampled_from(sorted(QUESTION_REQUIRED)), max_size=2),
    which=st.integers(0, 9),
)
def test_a_mangled_question_gets_errors_not_an_exception(tmp_path_factory, changes, dropped, which):
    root = Path(shutil.copytree(EXAMPLE_CONTENT, tmp_path_factory.mktemp("fuzz") / "c"))
    paths = sorted((root / PATTERN / "questions").glob("*/question.yaml"))
    path = paths[which % len(paths)]
    fields = sorted({**QUESTION_REQUIRED, **QUESTION_OPTIONAL})
    data = mutate(yaml.safe_load(path.read_text()), fields, changes, dropped)
    path.write_text(yaml.safe_dump(data))
    _patterns, errors = load_tree(root)  # must not raise
    assert_points_at_file_and_line(errors, root)
    if set(dropped) - set(data):  # a required field is missing: this file is named
        assert any(error.path == path for error in errors), errors


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    changes=st.dictionaries(st.integers(0, 20), values, max_size=4),
    extra=st.sampled_from(["steps", "quiz", "flow", "moments"]),
    nested=values,
)
def test_a_mangled_trace_gets_errors_not_an_exception(tmp_path_factory, changes, extra, nested):
    root = Path(shutil.copytree(EXAMPLE_CONTENT, tmp_path_factory.mktemp("fuzz") / "c"))
    path = next((root / PATTERN / "visualize").glob("*/trace.yaml"))
    data = mutate(yaml.safe_load(path.read_text()), sorted(TRACE_REQUIRED), changes, [])
    if isinstance(data.get(extra), list) and data[extra]:
        data[extra][0] = nested  # break one row deep inside
    path.write_text(yaml.safe_dump(data))
    _patterns, errors = load_tree(root)  # must not raise
    assert_points_at_file_and_line(errors, root)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=200))
def test_any_text_in_any_content_file_is_an_error_not_an_exception(tmp_path_factory, text):
    root = Path(shutil.copytree(EXAMPLE_CONTENT, tmp_path_factory.mktemp("fuzz") / "c"))
    written = [
        root / PATTERN / name
        for name in ("pattern.yaml", "review/flashcards.yaml", "lab/sleep-vs-await/experiment.yaml")
    ]
    for path in written:
        path.write_text(text)
    _patterns, errors = load_tree(root)  # must not raise
    assert errors and all(error.path in written for error in errors), errors
    assert_points_at_file_and_line(errors, root)
