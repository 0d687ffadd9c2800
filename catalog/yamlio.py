"""YAML that remembers where things were written, for error messages that name a line.

Both the catalog pack and the scenario files are read through here. Mappings come back as
`Map` (a dict that knows its own line and the line of every key); sequences as `Seq`
(a list with the line of every item). Timestamps are left as text so that a bad date is
reported by the caller with its line instead of failing the whole document.
"""

import re
from pathlib import Path

import yaml

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Map(dict):
    line: int = 0
    lines: dict

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


class Seq(list):
    line: int = 0
    lines: list

    def line_of(self, i: int) -> int:
        return self.lines[i] if i < len(self.lines) else self.line


class YamlProblem(Exception):
    """A document that is not valid YAML, or a key written twice; carries the line."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


class _Loader(_Base):
    pass


# Dates stay strings: `2026-02-30` must become an error with a line, not a crash.
# Booleans are YAML 1.2's true/false only: facts.yaml has keys named `yes` and `no`.
_DROP = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROP]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_map(loader, node):
    loader.flatten_mapping(node)
    m = Map()
    m.line = node.start_mark.line + 1
    m.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in m:
            raise YamlProblem(f"キー「{key}」が2回書かれています", key_node.start_mark.line + 1)
        m[key] = loader.construct_object(value_node, deep=True)
        # A block scalar (`|`, `>`) starts on the line after its key.
        start = value_node.start_mark.line + 1
        if getattr(value_node, "style", None) in ("|", ">"):
            start += 1
        m.lines[key] = start
    return m


def _construct_seq(loader, node):
    s = Seq(loader.construct_object(child, deep=True) for child in node.value)
    s.line = node.start_mark.line + 1
    s.lines = [child.start_mark.line + 1 for child in node.value]
    return s


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def load(path: Path):
    """The document at `path`; raises YamlProblem (syntax, duplicate key) with its line."""
    data = Path(path).read_bytes()
    return loads(data)


def loads(data: bytes | str):
    try:
        return yaml.load(data, Loader=_Loader)  # noqa: S506 - a safe loader subclass
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlProblem(f"YAMLとして読めません（{e.problem or e.context}）", line) from None
    except yaml.YAMLError as e:
        raise YamlProblem(f"YAMLとして読めません（{e}）", 0) from None
