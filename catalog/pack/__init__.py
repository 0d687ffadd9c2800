"""Catalog packs: the departments, events, facts and procedures of a municipality, as YAML.

A pack is a folder (catalogs/default/ is the reference one; docs/catalog-pack.md is the manual):

    pack.yaml          name, version, municipality, settings (*(varies)* thresholds), file list
    departments.yaml   departments in the order the guidance slip lists them, with 窓口
    events.yaml        life events, who their subjects are (a rule) and what they move
    facts.yaml         the data dictionary: type, scope, label, interview question
    derived.yaml       wording of the built-in derived values, and pack-defined ones
    procedures/*.yaml  procedures: department, kind, form, deadline, rule per event

A municipality's overlay is a folder whose pack.yaml names a `base:` pack; it renames
departments and 窓口, changes settings, removes procedures and adds its own. The loader
merges the layers and checks the result as one pack.

    model.py    the dataclasses the rest of the system reads (Pack, ProcedureDef, …)
    reader.py   YAML files read with their problems, file and line
    overlay.py  the layers of an overlay and how they merge; read_municipality
    load.py     load_pack / check_pack: every file read, checked and compiled once

Everything public is importable from `catalog.pack`.
"""

from catalog.pack.load import (
    check_pack,
    default_dir,
    default_pack,
    load_pack,
    register_file_check,
)
from catalog.pack.model import (
    FACT_TYPES,
    KIND_LABELS,
    KINDS,
    MOVES,
    SCOPES,
    Deadline,
    DepartmentDef,
    Event,
    Fact,
    Pack,
    PackError,
    PackProblem,
    ProcedureDef,
    Variant,
)
from catalog.pack.overlay import MUNICIPALITY_KEYS, read_municipality
from catalog.pack.reader import plain

__all__ = [
    "FACT_TYPES",
    "KINDS",
    "KIND_LABELS",
    "MOVES",
    "MUNICIPALITY_KEYS",
    "SCOPES",
    "Deadline",
    "DepartmentDef",
    "Event",
    "Fact",
    "Pack",
    "PackError",
    "PackProblem",
    "ProcedureDef",
    "Variant",
    "check_pack",
    "default_dir",
    "default_pack",
    "load_pack",
    "plain",
    "read_municipality",
    "register_file_check",
]
