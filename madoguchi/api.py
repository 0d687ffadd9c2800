"""The core systems' JSON API: one django-ninja API over the routers of backoffice (the task
API under /api/) and queues (the 転入予約 feed under /queue/api/), so its OpenAPI document
at /api/openapi.json is generated from the routes themselves and cannot miss one.

Every operation needs a core system's bearer token (backoffice.api.CoreSystemToken), except
the document. Errors are JSON {"error", "message"} with a Japanese message, a method the URL
does not take included (405 with Allow), as core systems have always been answered.
"""

import functools

from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from backoffice import api as backoffice_api
from backoffice import register_api
from madoguchi import apikit
from queues import api as queues_api


class CoreSystemsAPI(NinjaAPI):
    """Mounted at the site's root, since its routes live under two apps' prefixes."""

    def get_root_path(self, path_params):
        return "/"

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        # Ninja's own "" route (api-root) would take the site's home page: the root path is
        # fixed above instead. Each view answers a wrong method in JSON, with Allow.
        kept = [
            path(str(p.pattern), _json_405(p.callback), name=p.name)
            for p in patterns
            if isinstance(p, URLPattern) and p.name != "api-root"
        ]
        return kept, app_name, namespace


def _json_405(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            methods = sorted(m.strip() for m in response["Allow"].split(","))
            refused = apikit.api_error(
                405,
                "method_not_allowed",
                _("このURLで使えるのは %(methods)s です。") % {"methods": "・".join(methods)},
            )
            refused["Allow"] = ", ".join(methods)
            return refused
        return response

    wrapper.csrf_exempt = True  # tokens, not cookies: as every ninja view
    return wrapper


api = CoreSystemsAPI(
    title="Madoguchi 基幹系連携 API",
    version="1.0.0",
    description="担当課の業務（受付済みの来庁から作られた手続き）を基幹系システムが取得し、"
    "処理済みを報告するための API と、転入予約のお知らせを受け取る API。トークンは基幹系"
    "システムごとに発行され、その担当課の業務だけを返す。",
    urls_namespace="api",
    auth=backoffice_api.CoreSystemToken(),
    openapi_url=None,  # served by the operation below, so it is in the document and takes GET
    docs_url=None,  # no Swagger page: it would load its script from a CDN
)
api.add_exception_handler(
    apikit.Refused, lambda request, e: apikit.api_error(e.status, e.code, e.message)
)
api.add_router("/api/", backoffice_api.router)
api.add_router("/api/", register_api.router)
api.add_router("/queue/api/", queues_api.router)


@api.get(
    "/api/openapi.json",
    auth=None,
    url_name="openapi",
    operation_id="openapi",
    summary="この文書",
    response={200: dict},
    tags=["openapi"],
)
def openapi(request):
    return JsonResponse(api.get_openapi_schema(), json_dumps_params={"ensure_ascii": False})
