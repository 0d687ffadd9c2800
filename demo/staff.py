"""Demo offices, departments and staff logins (one per department and per office)."""

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Department, Office, Staff
from tenants import scope

DEMO_PASSWORD = "madoguchi"

OFFICES = [("honcho", "本庁", Office.Kind.MAIN), ("tanno", "端野支所", Office.Kind.BRANCH)]

# (username, display name, department, office, role)
STAFF = [
    ("shimin", "市民課 窓口 青木", "shimin", "honcho", Staff.Role.CLERK),
    ("hoken", "保険年金課 井上", "hoken_nenkin", "honcho", Staff.Role.DEPARTMENT),
    ("kaigo", "介護保険課 上田", "kaigo", "honcho", Staff.Role.DEPARTMENT),
    ("kodomo", "子育て支援課 江藤", "kodomo", "honcho", Staff.Role.DEPARTMENT),
    ("shisho", "端野支所 窓口 大野", "shimin", "tanno", Staff.Role.CLERK),
    ("kanri", "市民課 係長 加藤", "shimin", "honcho", Staff.Role.SUPERVISOR),
    ("admin", "システム管理者", "shimin", "honcho", Staff.Role.ADMIN),
]


class DemoRefused(Exception):
    """Production mode: no account with the published demo password, ever."""


def refuse_in_production() -> None:
    if settings.PRODUCTION:
        raise DemoRefused(
            _(
                "本番モード（MADOGUCHI_ENV=production）では、パスワード「%(pw)s」のデモ職員アカウントと"
                "架空の住民は作成しません。デモは MADOGUCHI_ENV を設定せずに実行してください。"
                "本番の職員アカウントは管理者が個別に作成します（README「本番モード」）。"
            )
            % {"pw": DEMO_PASSWORD}
        )


@transaction.atomic
def ensure_demo_staff(departments: dict[str, str]) -> list[tuple[str, str]]:
    """Create what is missing; returns (username, display name) of every demo login."""
    refuse_in_production()
    for code, name in departments.items():
        Department.objects.update_or_create(code=code, defaults={"name": name})
    for code, name, kind in OFFICES:
        Office.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})
    out = []
    # User names are the deployment's: another tenant's demo logins are "<code>-shimin"…
    prefix = "" if scope.current_id() == scope.DEFAULT else f"{scope.current_id()}-"
    for username, display, dept, office, role in STAFF:
        username = prefix + username
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = role == Staff.Role.ADMIN
            user.save()
        Staff.objects.update_or_create(
            user=user,
            defaults={
                "display_name": display,
                "role": role,
                "department": Department.objects.get(code=dept),
                "office": Office.objects.get(code=office),
            },
        )
        out.append((username, display))
    return out
