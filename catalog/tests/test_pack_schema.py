"""docs/catalog-pack.schema.json describes the packs we ship (keys and types), checked with
the jsonschema package; a violation is reported with the YAML line it is on."""

import json
from fnmatch import fnmatch
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from catalog import yamlio
from catalog.exchange import export_data
from catalog.pack import load_pack
from catalog.tests.helpers import PACK_DIR

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "catalog-pack.schema.json"

OVERLAY_DIR = PACK_DIR.parent / "overlays" / "example-city"
# forms/ holds the printing app's templates (docs/printing.md), not catalog files.
FILES = sorted(
    (
        p
        for d in (PACK_DIR, OVERLAY_DIR)
        for p in d.rglob("*.yaml")
        if "forms" not in p.relative_to(d).parts
    ),
    key=str,
)


def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def errors(doc, definition: str) -> list[str]:
    """Every violation of `#/$defs/…` as 「$.path (line N): what」; empty when `doc` is valid."""
    schema = load_schema()
    validator = Draft202012Validator({"$ref": definition, "$defs": schema["$defs"]})
    out = []
    for e in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        node, line = doc, getattr(doc, "line", 0)
        for step in e.absolute_path:  # yamlio's Map and Seq know the line of each item
            line = node.line_of(step) if hasattr(node, "line_of") else line
            node = node[step]
        where = "$" + "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in e.absolute_path)
        out.append(f"{where} (line {line}): {e.message}")
    return out


def _definition(schema, root: Path, path: Path) -> str:
    rel = str(path.relative_to(root))
    return next(
        ref for pattern, ref in schema["x-madoguchi-files"].items() if fnmatch(rel, pattern)
    )


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_pack_file_matches_its_schema_definition(path):
    schema = load_schema()
    root = OVERLAY_DIR if OVERLAY_DIR in path.parents else PACK_DIR
    assert errors(yamlio.load(path), _definition(schema, root, path)) == []


def test_an_export_matches_the_export_definition():
    assert errors(export_data(load_pack(OVERLAY_DIR)), "#/$defs/export") == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "procedures:\n  - {id: a, department: shimin, kind: formm, title: t, when: true}\n",
            "$.procedures[0].kind (line 2): 'formm' is not one of",
        ),
        (
            "procedures:\n  - {id: A, department: shimin, kind: form, title: t, when: true}\n",
            "$.procedures[0].id (line 2): 'A' does not match",
        ),
        (
            "procedures:\n  - {id: a, department: shimin, kind: form, title: t}\n",
            "$.procedures[0] (line 2): 'when' is a required property",
        ),
        (
            "procedures:\n  - {id: a, department: shimin, kind: form, title: t, when: x, brings: []}\n",
            "$.procedures[0] (line 2): Additional properties are not allowed ('brings' was",
        ),
        (
            "procedures:\n  - {id: a, department: shimin, kind: form, title: t, when: x, deadline: 14days}\n",
            "$.procedures[0].deadline (line 2): '14days' is not valid under any of",
        ),
    ],
    ids=["kind", "id-pattern", "required", "unknown-key", "deadline"],
)
def test_a_violation_is_reported_with_its_path_and_line(text, words):
    found = errors(yamlio.loads(text), "#/$defs/procedures_yaml")
    assert len(found) == 1 and found[0].startswith(words), found


def test_the_schema_is_a_valid_2020_12_schema():
    Draft202012Validator.check_schema(load_schema())
