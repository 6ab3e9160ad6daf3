"""One YAML file of content, read with the line of every value, so errors can point at them."""

import difflib
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class ContentError:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlFile:
    """Reads one YAML mapping; `error(...)` records problems against this file."""

    def __init__(self, path: Path, errors: list[ContentError]):
        self.path = path
        self.errors = errors
        self.node = None
        self.data: dict | None = None
        self.lines: list[str] = []
        try:
            text = path.read_text(encoding="utf-8")
            self.lines = text.splitlines()
            # One parse, by libyaml where PyYAML has it: the node gives lines for errors, the
            # data is built from it (publishing reads some two hundred of these files).
            loader = LOADER(text)
            try:
                node = loader.get_single_node()
                data = loader.construct_document(node) if node is not None else None
            finally:
                loader.dispose()
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
        self.node, self.data = node, data

    def error(self, line: int, message: str) -> None:
        self.errors.append(ContentError(self.path, line, message))

    def line(self, *where) -> int:
        """The line of the value at a path of keys and list indexes, e.g. ("options", 2, "id");
        the nearest enclosing line if the path does not exist."""
        node, line = self.node, 1
        for step in where:
            if isinstance(node, yaml.MappingNode):
                found = next((v for k, v in node.value if k.value == str(step)), None)
                key = next((k for k, v in node.value if k.value == str(step)), None)
                if found is None:
                    return line
                line, node = key.start_mark.line + 1, found
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if step >= len(node.value):
                    return line
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                return line
        return line

    def line_of_words(self, start: int, words: str) -> int:
        """The first line from `start` on that holds `words` (or, for text folded over several
        lines, its first word); `start` if none does."""
        for needle in (words, words.split()[0] if words.split() else words):
            for number in range(start, len(self.lines) + 1):
                if needle in self.lines[number - 1]:
                    return number
        return start


def check_fields(
    file: YamlFile, data: dict, required: dict[str, str], optional: dict[str, str], *where
) -> bool:
    """Report unknown and missing fields of the mapping at `where`; True if it is a mapping
    and none is missing."""
    if not isinstance(data, dict):
        fields = ", ".join(required)
        file.error(file.line(*where), f"expected a mapping with the fields {fields}.")
        return False
    known = {**required, **optional}
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f" Did you mean `{close[0]}`?" if close else ""
            file.error(
                file.line(*where, key), f"unknown field `{key}`.{hint} Allowed: {', '.join(known)}."
            )
    missing = [key for key in required if key not in data]
    for key in missing:
        file.error(file.line(*where), f"missing field `{key}`: {required[key]}.")
    return not missing
