"""A small JSON Schema validator for the subset docs/catalog-pack.schema.json uses.

jsonschema is not a dependency of the project; the pack loader is what checks packs in
production. This walker lets the tests hold the shipped schema to the shipped packs:
$ref (local), type, enum, const, pattern, minLength, required, properties,
additionalProperties, items, minItems, anyOf. Anything else in the schema is refused, so
the schema cannot silently grow a keyword the walker ignores.
"""

import json
import re
from pathlib import Path

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "catalog-pack.schema.json"
KNOWN = {
    "$ref", "type", "enum", "const", "pattern", "minLength", "required", "properties",
    "additionalProperties", "items", "minItems", "anyOf", "description", "title",
}  # fmt: skip
_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


class Walker:
    def __init__(self, schema: dict):
        self.root = schema

    def resolve(self, ref: str) -> dict:
        assert ref.startswith("#/"), ref
        node = self.root
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def errors(self, value, schema, path="$", line=0) -> list[str]:
        """Every violation as 「path (line N): what」; empty when the value is valid."""
        line = getattr(value, "line", line)
        unknown = set(schema) - KNOWN
        if unknown:
            raise ValueError(f"schema keyword not supported by the walker: {sorted(unknown)}")
        if "$ref" in schema:
            return self.errors(value, self.resolve(schema["$ref"]), path, line)
        where = f"{path} (line {line})"
        if "anyOf" in schema:
            tries = [self.errors(value, s, path, line) for s in schema["anyOf"]]
            if all(tries):
                return [f"{where}: matches none of anyOf ({'; '.join(t[0] for t in tries)})"]
            return []
        out = []
        kinds = schema.get("type")
        if kinds is not None:
            kinds = [kinds] if isinstance(kinds, str) else kinds
            if not any(_TYPES[k](value) for k in kinds):
                return [f"{where}: {type(value).__name__} {value!r} is not {'/'.join(kinds)}"]
        if "enum" in schema and value not in schema["enum"]:
            out.append(f"{where}: {value!r} not in {schema['enum']}")
        if "const" in schema and value != schema["const"]:
            out.append(f"{where}: {value!r} is not {schema['const']!r}")
        if isinstance(value, str):
            if "pattern" in schema and not re.search(schema["pattern"], value):
                out.append(f"{where}: {value!r} does not match {schema['pattern']}")
            if len(value) < schema.get("minLength", 0):
                out.append(f"{where}: empty text")
        if isinstance(value, dict):
            out += self._object(value, schema, path, where)
        if isinstance(value, list):
            if len(value) < schema.get("minItems", 0):
                out.append(f"{where}: fewer than {schema['minItems']} items")
            if "items" in schema:
                lines = getattr(value, "lines", [])
                for i, item in enumerate(value):
                    item_line = lines[i] if i < len(lines) else line
                    out += self.errors(item, schema["items"], f"{path}[{i}]", item_line)
        return out

    def _object(self, value, schema, path, where):
        out = [f"{where}: missing {k!r}" for k in schema.get("required", []) if k not in value]
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        lines = getattr(value, "lines", {})
        for key, item in value.items():
            sub = f"{path}.{key}"
            item_line = lines.get(key, getattr(value, "line", 0))
            if key in props:
                out += self.errors(item, props[key], sub, item_line)
            elif extra is False:
                out.append(f"{sub} (line {item_line}): unknown key")
            elif isinstance(extra, dict):
                out += self.errors(item, extra, sub, item_line)
        return out
