"""Docs that drift from the code fail the build."""

import re

from conftest import REPO

README = (REPO / "README.md").read_text()
ENV_READ = re.compile(r"""(?:environ\.get|environ\[|env_bool|env_list)\(?\s*["']([A-Z_]+)["']""")


def test_every_environment_variable_is_documented():
    names = set()
    for path in (REPO / "codedrill").rglob("*.py"):
        names |= set(ENV_READ.findall(path.read_text()))
    names -= {"DJANGO_SETTINGS_MODULE"}
    assert names, "the pattern found no variables: fix the test"
    missing = sorted(name for name in names if f"`{name}`" not in README)
    assert missing == []


def test_the_quick_start_has_exactly_the_two_commands():
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert re.findall(r"^make \w+", quick_start, re.MULTILINE) == ["make run", "make test"]
