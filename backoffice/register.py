"""Loading the register from the core system, audited: the one write function that the
`madoguchi register import` command and the API's /api/v1/register/imports share.

The import itself is residents.importer's (the register's adapters live with the register);
this adds the audit entry, one per import with its counts and never a row, written in the
import's own transaction so a load and its record stand or fall together.
"""

from pathlib import Path

from accounts import audit
from residents.importer import Report, run_import
from residents.importmap import Mapping


def import_register(
    path,
    *,
    mapping: Mapping | None = None,
    mode: str = "full",
    encoding: str = "",
    fmt: str = "",
    dry_run: bool = False,
    user=None,
    system: str = "",
    request=None,
    source_name: str = "",
    on_step=None,
) -> Report:
    def record(report: Report):
        detail = {"file": source_name or Path(path).name, **report.counts()}
        if system:
            detail["system"] = system
        audit.record(user, "register.imported", request=request, **detail)

    return run_import(
        path,
        mapping=mapping,
        mode=mode,
        encoding=encoding,
        fmt=fmt,
        dry_run=dry_run,
        audit=None if dry_run else record,
        on_step=on_step,
    )
