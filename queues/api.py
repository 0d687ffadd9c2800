"""転入予約 feed over HTTP: the core system posts the moving data it received (引越しワンストップ).

Same tokens as the core systems' task API (backoffice.api): one per system, `Authorization:
Bearer …`; no staff session is accepted. Body: {"notices": [ … ]} in docs/queue.md's items.
"""

import json

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from backoffice.api import token_required
from queues import prepare


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


@token_required
@require_POST
def moving_notices(request):
    try:
        body = json.loads(request.body or b"{}")
        items = body["notices"] if isinstance(body, dict) else body
        assert isinstance(items, list)
    except (ValueError, KeyError, AssertionError):
        return _json(
            {"error": "bad_request", "message": '{"notices": [...]} の JSON を送ってください。'},
            400,
        )
    results = []
    for item in items:
        try:
            r, created = prepare.import_notice(item, request=request)
        except prepare.FeedError as e:
            results.append(
                {
                    "予約番号": item.get("予約番号") if isinstance(item, dict) else None,
                    "status": "error",
                    "message": str(e),
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
    return _json(
        {"results": results}, status=207 if failed and len(results) > 1 else 400 if failed else 200
    )
