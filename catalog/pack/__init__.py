"""Catalog packs (catalog/pack/model.py until it is split)."""

from catalog.pack.model import (  # noqa: F401
    FACT_TYPES,
    KIND_LABELS,
    KINDS,
    SCOPES,
    Deadline,
    Department,
    Event,
    Fact,
    Pack,
    PackError,
    PackProblem,
    Procedure,
    Variant,
    check_pack,
    default_dir,
    default_pack,
    load_pack,
    plain,
)
