"""docs/catalog-pack.schema.json describes the packs we ship (keys and types)."""

from fnmatch import fnmatch
from pathlib import Path

import pytest

from catalog import yamlio
from catalog.exchange import export_data
from catalog.pack import load_pack
from catalog.tests.helpers import PACK_DIR
from catalog.tests.schema_walker import KNOWN, Walker, load_schema

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


def _definition(schema, root: Path, path: Path) -> str:
    rel = str(path.relative_to(root))
    return next(
        ref for pattern, ref in schema["x-madoguchi-files"].items() if fnmatch(rel, pattern)
    )


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_pack_file_matches_its_schema_definition(path):
    schema = load_schema()
    root = OVERLAY_DIR if OVERLAY_DIR in path.parents else PACK_DIR
    walker = Walker(schema)
    doc = yamlio.load(path)
    assert walker.errors(doc, walker.resolve(_definition(schema, root, path))) == []


def test_an_export_matches_the_export_definition():
    walker = Walker(load_schema())
    data = export_data(load_pack(OVERLAY_DIR))
    assert walker.errors(data, walker.resolve("#/$defs/export")) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "procedures:\n  - {id: a, department: shimin, kind: formm, title: t, when: true}\n",
            "formm",
        ),
        ("procedures:\n  - {id: A, department: shimin, kind: form, title: t, when: true}\n", "'A'"),
        ("procedures:\n  - {id: a, department: shimin, kind: form, title: t}\n", "missing 'when'"),
        (
            "procedures:\n  - {id: a, department: shimin, kind: form, title: t, when: x, brings: []}\n",
            "unknown key",
        ),
        (
            "procedures:\n  - {id: a, department: shimin, kind: form, title: t, when: x, deadline: 14days}\n",
            "anyOf",
        ),
    ],
    ids=["kind", "id-pattern", "required", "unknown-key", "deadline"],
)
def test_the_walker_finds_what_the_schema_forbids_with_the_line(text, words):
    walker = Walker(load_schema())
    errors = walker.errors(yamlio.loads(text), walker.resolve("#/$defs/procedures_yaml"))
    assert len(errors) == 1 and words in errors[0] and "(line 2)" in errors[0], errors


def _subschemas(schema):
    yield schema
    for key, value in schema.items():
        if key in ("properties", "$defs"):
            for sub in value.values():
                yield from _subschemas(sub)
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            yield from _subschemas(value)
        elif key == "anyOf":
            for sub in value:
                yield from _subschemas(sub)


def test_the_schema_uses_only_keywords_the_walker_knows():
    schema = load_schema()
    top = {"$schema", "x-madoguchi-files", "$defs"}
    for sub in _subschemas(schema):
        assert set(sub) - top <= KNOWN, set(sub) - KNOWN
