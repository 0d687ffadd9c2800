"""What every JSON API router shares (backoffice's task API, queues' 転入予約 feed): the error
shape, sent and documented, and the description of a query parameter a view reads itself.

The views answer with their own JsonResponse (the exact bytes and Japanese messages core
systems already parse); the schemas below only describe those answers in the OpenAPI
document that madoguchi/api.py generates, and the tests hold the answers to them.
"""

from django.http import JsonResponse
from ninja import Schema

from madoguchi.inputs import json_response


class Error(Schema):
    error: str
    message: str


def api_error(status: int, code: str, message) -> JsonResponse:
    return json_response({"error": code, "message": str(message)}, status=status)


def errors(*statuses: int) -> dict:
    """`response=` entries for the error answers an operation gives."""
    return dict.fromkeys(statuses, Error)


def query(name: str, schema: dict, description: str = "") -> dict:
    """An OpenAPI query parameter for a value the view reads from request.GET itself (so its
    refusal keeps the Japanese message that names it, not a pydantic one)."""
    param = {"name": name, "in": "query", "required": False, "schema": schema}
    if description:
        param["description"] = description
    return param


def json_body(schema: type[Schema], *, required: bool) -> dict:
    """An OpenAPI request body for a JSON body the view parses itself (madoguchi.inputs)."""
    return {
        "required": required,
        "content": {"application/json": {"schema": schema.json_schema()}},
    }


class Refused(Exception):  # noqa: N818 — an answer, not a failure of ours
    """Raised where a view cannot return (an auth class): answered as api_error(...)."""

    def __init__(self, status: int, code: str, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
