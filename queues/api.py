"""転入予約 feed over HTTP: the core system posts the moving data it received (引越しワンストップ).

Same tokens as the core systems' task API: one per system, `Authorization: Bearer …`; no
staff session is accepted. madoguchi/api.py mounts this router under /queue/api/ with that
token's auth class, so queues needs nothing from backoffice. Body: {"notices": [ … ]} in
docs/queue.md's items.

Each notice is independent: all are checked before anything is written, a refused one writes
nothing, and each accepted one is written in its own transaction (queues.prepare.import_notices).
"""

from typing import Annotated, Literal

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from madoguchi import apikit
from madoguchi.inputs import BadInput, expect_list, json_body, json_response
from queues import prepare

# A batch is answered within one request (each notice opens a visit and prints its packet):
# a core system with more sends several requests.
MAX_NOTICES = 100
MAX_BYTES = 1_000_000


class NoticePerson(Schema):
    氏名: str = Field(max_length=prepare.PERSON_LIMITS["name"])
    氏名フリガナ: str | None = Field(None, max_length=prepare.PERSON_LIMITS["name_kana"])
    生年月日: str | None = Field(None, description="YYYY-MM-DD")
    性別: str | int | None = Field(None, description="ISO 5218：1 男、2 女")
    続柄: str | None = Field(None, max_length=prepare.PERSON_LIMITS["relation"])
    国籍: str | None = Field(None, max_length=prepare.PERSON_LIMITS["nationality"])


class NoticeAddress(Schema):
    郵便番号: Annotated[str, Field(max_length=prepare.ADDRESS_LIMITS["zip"])] | int | None = None
    都道府県: str | None = Field(None, max_length=prepare.ADDRESS_LIMITS["pref"])
    市区町村: str | None = Field(None, max_length=prepare.ADDRESS_LIMITS["city"])
    町字: str | None = Field(None, max_length=prepare.ADDRESS_LIMITS["town"])
    番地: str | None = Field(None, max_length=prepare.ADDRESS_LIMITS["banchi"])
    方書: str | None = Field(None, max_length=prepare.ADDRESS_LIMITS["katagaki"])
    国名: str | None = Field(None, max_length=prepare.ADDRESS_LIMITS["country"])


class Notice(Schema):
    予約番号: Annotated[str, Field(max_length=40)] | int = Field(
        description="基幹系の予約番号。同じ番号で送り直すと更新。"
    )
    来庁予定日: str = Field(description="YYYY-MM-DD")
    異動年月日: str | None = Field(None, description="YYYY-MM-DD。省略時は来庁予定日")
    電話番号: Annotated[str, Field(max_length=20)] | int | None = None
    来庁窓口: str | None = Field(
        None, description="庁舎のコードか名前（honcho、端野支所…）。省略時は本庁。"
    )
    転出元住所: NoticeAddress | None = None
    転入先住所: NoticeAddress | None = None
    世帯員: list[NoticePerson] = Field(
        min_length=1, max_length=prepare.MAX_PEOPLE, description="1人目が届出人"
    )


class MovingNotices(Schema):
    notices: list[Notice] = Field(
        max_length=MAX_NOTICES,
        description="転入予約のお知らせ（docs/queue.md）。配列だけを送ってもよい。",
    )


class NoticeResult(Schema):
    予約番号: str | int | None
    status: Literal["created", "updated", "already_imported", "conflict", "error"] = Field(
        description="created 取込、updated 変更を反映、already_imported 取込済みで変更なし、"
        "conflict 来庁済み・取消済みのため変更を反映せず、error 誤りのため取り込まず"
    )
    visit: str | None = Field(None, description="準備した来庁の受付番号")
    note: str = ""
    message: str = Field("", description="conflict・error の理由（何件目か、どの項目か）")


class NoticeResults(Schema):
    results: list[NoticeResult]


router = Router(tags=["reservations"])


@router.post(
    "/v1/moving-notices",
    url_name="moving_notices",
    operation_id="postMovingNotices",
    summary="転入予約のお知らせを取り込む",
    description="お知らせは 1 件ずつ独立に扱う。まず全件を検査し、誤りのあるお知らせは何も"
    "書き込まずに error として返す。残りは 1 件ずつ別のトランザクションで取り込むので、"
    "ほかのお知らせの誤りで取り消されることはない。結果は送った順に返す。全件取り込めたら 200、"
    "一部だけなら 207、1 件も取り込めなければ 400。同じ予約番号を同じ内容で送り直しても何も"
    "変わらず（already_imported）、内容が変わっていれば来庁前の準備を更新する（updated）。来庁済み"
    f"なら反映しない（conflict）。1 回に {MAX_NOTICES} 件・{MAX_BYTES // 1000} kB まで（超えると 413）。",
    response={
        200: NoticeResults,
        207: NoticeResults,
        400: NoticeResults | apikit.Error,
        413: apikit.Error,
    }
    | apikit.errors(401),
    openapi_extra={"requestBody": apikit.json_body(MovingNotices, required=True)},
)
def moving_notices(request):
    too_big = apikit.api_error(
        413,
        "too_large",
        _("1 回に送れるのは %(n)s 件・%(kb)s kB までです。分けて送ってください。")
        % {"n": MAX_NOTICES, "kb": MAX_BYTES // 1000},
    )
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BYTES:
            return too_big
        if len(request.body) > MAX_BYTES:
            return too_big
    except (ValueError, RequestDataTooBig):
        return too_big
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
    if len(items) > MAX_NOTICES:
        return too_big
    results = prepare.import_notices(items, request=request)
    taken = sum(x["status"] in ("created", "updated", "already_imported") for x in results)
    status = 200 if taken == len(results) else 207 if taken else 400
    return json_response({"results": results}, status=status)
