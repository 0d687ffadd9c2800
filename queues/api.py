"""転入予約 feed over HTTP: the core system posts the moving data it received (引越しワンストップ).

Same tokens as the core systems' task API (backoffice.api): one per system, `Authorization:
Bearer …`; no staff session is accepted. Body: {"notices": [ … ]} in docs/queue.md's items.
"""

from django.utils.translation import gettext as _

from backoffice.api import allow, token_required
from lib.text import unstorable
from madoguchi.inputs import BadInput, expect_list, json_body, json_response
from queues import prepare


@token_required
@allow("POST")
def moving_notices(request):
    try:
        body = json_body(request)
        items = body.get("notices") if isinstance(body, dict) else body
        expect_list(items, "notices")
    except BadInput as e:
        return json_response(
            {
                "error": "bad_request",
                "message": str(e) + _('{"notices": [...]} の JSON を送ってください。'),
            },
            400,
        )
    results = []
    for i, item in enumerate(items, 1):
        try:
            r, created = prepare.import_notice(item, request=request)
        except prepare.FeedError as e:
            results.append(
                {
                    "予約番号": _echo(item),
                    "status": "error",
                    "message": _("%(n)s件目：%(e)s") % {"n": i, "e": e},
                }
            )
            continue
        results.append(
            {
                "予約番号": r.external_id,
                "status": "created" if created else "already_imported",
                "visit": r.visit.number if r.visit_id else None,
                "note": r.prepare_note,
            }
        )
    failed = any(x["status"] == "error" for x in results)
    return json_response(
        {"results": results}, status=207 if failed and len(results) > 1 else 400 if failed else 200
    )


def _echo(item):
    """The refused notice's 予約番号 when it is one that can be sent back (no NUL, not huge)."""
    value = item.get("予約番号") if isinstance(item, dict) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value if abs(value) < 1e15 else None
    if isinstance(value, str) and len(value) <= 40 and not unstorable(value):
        return value
    return None
