"""Error pages in Japanese, in the site's layout (templates/error.html).

A 403 or 404 raised with one of the project's own messages (「他の課の業務は表示できません。」)
shows that message; Django's own (English, or none) get the general one. The 500 page renders
from a plain context, without the session or the database, since either may be what failed;
a database or Redis outage gets its own 503 page saying what is down and that the last action
may not have been saved.
"""

import logging
import re
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants import scope

log = logging.getLogger(__name__)

# Django's own 404 texts (get_object_or_404; the resolver passes a dict): not for residents.
_DJANGO_404 = re.compile(r"^No .* matches the given query\.$")


def own_message(exception) -> str:
    """The message the project's code raised with, if it is one meant for the user."""
    args = getattr(exception, "args", ())
    if not args or not isinstance(args[0], str):
        return ""
    message = args[0].strip()
    return "" if _DJANGO_404.match(message) else message


def _page(request, status, title, message, **extra):
    context = {"status": status, "title": title, "message": message, **extra}
    response = render(request, "error.html", context, status=status)
    response["X-Madoguchi-Error"] = str(status)
    return response


def bad_request(request, exception):
    return _page(
        request,
        400,
        _("リクエストを処理できません"),
        own_message(exception)
        or _("送信された内容を読み取れませんでした。画面を読み込み直してください。"),
    )


def permission_denied(request, exception):
    return _page(
        request,
        403,
        _("この画面は表示できません"),
        own_message(exception) or _("この画面を開く権限がありません。"),
    )


def page_not_found(request, exception):
    return _page(
        request,
        404,
        _("ページが見つかりません"),
        own_message(exception)
        or _(
            "お探しのページは見つかりませんでした。URL を確かめるか、最初の画面から開いてください。"
        ),
    )


def csrf_failure(request, reason=""):
    return _page(
        request,
        403,
        _("画面の有効期限が切れました"),
        _(
            "この画面を開いてから時間がたったか、別の画面でログインし直したため、送信を受け付けませんでした。"
            "内容は保存されていません。画面を読み込み直して、もう一度送信してください。"
        ),
    )


def too_many_requests(request, verdict):
    response = _page(
        request,
        429,
        _("しばらくお待ちください"),
        _(
            "短い時間に多くの操作があったため、受付を一時的に止めています。"
            "約%(m)s分後にもう一度お試しください。お急ぎの方は窓口の職員にお声がけください。"
        )
        % {"m": verdict.minutes},
    )
    response["Retry-After"] = str(verdict.retry_after)
    return response


def _outage(exc) -> str | None:
    """Which service is down, when the exception says a service is unreachable."""
    if isinstance(exc, (OperationalError, InterfaceError)):
        return "database"
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is a dependency
        return None
    if isinstance(exc, (RedisConnectionError, RedisTimeoutError)):
        return "redis"
    return None


OUTAGE = {
    "database": (
        gettext_lazy("データベースに接続できません"),
        gettext_lazy(
            "データベースに接続できないため、処理できませんでした。直前の操作は保存されていない可能性があります。"
            "しばらく待ってから画面を読み込み直し、保存されたかを確かめてください。"
            "続く場合はシステム管理者に連絡してください。"
        ),
    ),
    "redis": (
        gettext_lazy("Redis（通知・キャッシュ）に接続できません"),
        gettext_lazy(
            "画面への通知とキャッシュに使うサーバー（Redis）に接続できないため、処理できませんでした。"
            "直前の操作は保存されていない可能性があります。しばらく待ってから画面を読み込み直してください。"
            "続く場合はシステム管理者に連絡してください。"
        ),
    ),
}


def server_error(request):
    """500, or 503 when the database or Redis is what failed. Touches neither."""
    kind = _outage(sys.exc_info()[1])
    if kind:
        status, (title, message) = 503, OUTAGE[kind]
    else:
        status = 500
        title = _("システムエラーが発生しました")
        message = _(
            "処理中に予期しないエラーが発生しました。直前の操作は保存されていない可能性があります。"
            "画面を読み込み直して確かめ、続く場合はシステム管理者に連絡してください。"
        )
    context = {
        "status": status,
        "title": title,
        "message": message,
        "outage": kind or "",
        "MUNICIPALITY": scope.municipality(),
        "PRODUCTION": settings.PRODUCTION,
    }
    try:
        body = loader.render_to_string("error.html", context)
    except Exception:  # the template itself failed: still answer in Japanese
        log.exception("error page failed to render")
        body = (
            f"<!doctype html><meta charset=utf-8><h1>{title}</h1><p id=error-message>{message}</p>"
        )
    response = HttpResponse(body, status=status)
    response["X-Madoguchi-Error"] = kind or str(status)
    if status == 503:
        response["Retry-After"] = "30"
    return response
