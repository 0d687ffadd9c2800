"""POST /api/v1/register/imports: the core system sends its register extract (full or the
day's differences) as multipart/form-data — `file`, and optionally `mapping` (the YAML column
mapping) — and gets the import's report. Only the 市民課's core system may (accounts.access).

The upload is spooled to a temporary file by Django and streamed from there, as the command
does; nothing is written unless every row is accepted (residents.importer).
"""

import tempfile
from pathlib import Path
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from accounts import access
from backoffice.register import import_register
from madoguchi import apikit
from madoguchi.inputs import json_response
from residents.importer import FileRefused
from residents.importmap import Mapping, MappingError

router = Router(tags=["register"])


class Rejected(Schema):
    line: int = Field(description="行番号（CSV は見出しが 1 行目、JSON は何件目か）")
    reason: str


class ImportReport(Schema):
    mode: Literal["full", "diff"]
    dry_run: bool
    rows: int
    written: bool = Field(description="書き込んだか（誤りが 1 行でもあれば false）")
    residents: dict = Field(description="added・changed・removed・unchanged の件数")
    households: dict = Field(description="added・changed・removed の件数")
    support_measure: dict = Field(
        description="支援措置を既存の住民に立てた（set）・外した（cleared）件数"
    )
    changes: int
    rejected_count: int
    rejected: list[Rejected] = Field(description="誤りのある行（最初の 1000 行）")


@router.post(
    "/v1/register/imports",
    url_name="register_import",
    operation_id="importRegister",
    summary="住民記録を取り込む",
    description="multipart/form-data の file（CSV か JSON）と、任意で mapping（列の対応表 YAML）を"
    "送る。mode=full は全件（ファイルにない住民は消除）、diff は異動分。まず全行を検査し、誤りが"
    "1 行でもあれば何も書き込まず 400 で誤りの行と理由を返す。同じファイルを送り直しても何も"
    "変わらない（changes が 0）。dry_run=true は検査と件数だけ。",
    response={200: ImportReport, 400: ImportReport | apikit.Error, **apikit.errors(401, 403)},
    openapi_extra={
        "parameters": [
            apikit.query("mode", {"type": "string", "enum": ["full", "diff"], "default": "full"}),
            apikit.query("encoding", {"type": "string", "enum": ["utf-8", "cp932"]}),
            apikit.query("format", {"type": "string", "enum": ["csv", "json"]}),
            apikit.query("dry_run", {"type": "boolean", "default": False}),
        ],
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "mapping": {"type": "string", "format": "binary"},
                        },
                        "required": ["file"],
                    }
                }
            },
        },
    },
)
def register_import(request):
    system = request.auth
    if not access.may_load_register(system):
        return apikit.api_error(
            403, "forbidden", _("住民記録を取り込めるのは市民課の基幹系システムだけです。")
        )
    upload = request.FILES.get("file")
    if upload is None:
        return apikit.api_error(400, "bad_request", _("file（取り込むファイル）を送ってください。"))
    mode = request.GET.get("mode", "full")
    if mode not in ("full", "diff"):
        return apikit.api_error(400, "bad_request", _("mode は full か diff です。"))
    try:
        mapping = None
        if "mapping" in request.FILES:
            mapping = Mapping.parse(request.FILES["mapping"].read())
        suffix = Path(upload.name or "").suffix.lower()[:8]
        with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
            for chunk in upload.chunks():
                tmp.write(chunk)
            tmp.flush()
            report = import_register(
                tmp.name,
                mapping=mapping,
                mode=mode,
                encoding=request.GET.get("encoding", ""),
                fmt=request.GET.get("format", ""),
                dry_run=request.GET.get("dry_run") in ("1", "true"),
                system=system.code,
                request=request,
                source_name=(upload.name or "")[:100],
            )
    except (MappingError, FileRefused, ValueError) as e:
        return apikit.api_error(400, "bad_request", e)
    return json_response(report.as_dict(), 400 if report.rejected_count else 200)
