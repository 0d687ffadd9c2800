"""accounts.access is the one place that decides who may open what and who sees a 支援措置
address; accounts itself stays below the apps whose objects it guards."""

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from accounts import access
from accounts.models import AuditEntry, Department, Office

ROOT = Path(__file__).resolve().parents[2]
ABOVE_ACCOUNTS = ("residents", "catalog", "printing", "counter", "backoffice", "queues", "remote")
APPS = ("lib", "madoguchi", *ABOVE_ACCOUNTS)


def _module_level_imports(path: Path):
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_accounts_imports_no_app_above_it():
    wrong = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in (ROOT / "accounts").rglob("*.py")
        if "tests" not in path.parts
        for name in _module_level_imports(path)
        if name.split(".")[0] in ABOVE_ACCOUNTS
    ]
    assert not wrong, wrong


def test_no_other_module_decides_by_a_staff_role():
    """A role compared anywhere but accounts.access would be a second rule to keep in step."""
    role_check = re.compile(r"\bstaff\.role\b|\bStaff\.Role\b|role\s*[!=]=\s*[\"'](admin|clerk)")
    wrong = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if role_check.search(line)
    ]
    assert not wrong, "\n".join(wrong)


@pytest.fixture
def objects(demo_staff, django_capture_on_commit_callbacks):
    """An accepted visit at each office, with a 保険年金課 task and a ticket there."""
    from counter import services
    from counter.tests.factories import elderly_couple
    from queues import services as queue_services

    out = {}
    for code, opener in (("honcho", "shimin"), ("tanno", "shisho")):
        hh, _head, _wife = elderly_couple()
        clerk = demo_staff[opener]
        visit = services.start_visit(
            by=clerk, office=clerk.staff.office, events=["tenshutsu"],
            event_date=date(2026, 6, 15), household=hh,
        )  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            services.accept_visit(visit, by=clerk)
        out[code] = {
            "visit": visit,
            "task": visit.tasks.filter(department__code="hoken_nenkin").first(),
            "ticket": queue_services.issue_ticket(
                office=Office.objects.get(code=code), purpose_code="other"
            ),
        }
    return out


# (username, what they may open) — the rule in words, read by the table test below.
MAY_OPEN = {
    "shimin": {"honcho.visit", "honcho.ticket", "dept.shimin"},
    "shisho": {"tanno.visit", "tanno.ticket", "dept.shimin"},
    "hoken": {"honcho.task", "tanno.task", "dept.hoken_nenkin"},
    "kanri": {
        "honcho.visit",
        "tanno.visit",
        "honcho.task",
        "tanno.task",
        "honcho.ticket",
        "tanno.ticket",
        "dept.shimin",
        "dept.hoken_nenkin",
    },  # fmt: skip
    "admin": {
        "honcho.visit",
        "tanno.visit",
        "honcho.task",
        "tanno.task",
        "honcho.ticket",
        "tanno.ticket",
        "dept.shimin",
        "dept.hoken_nenkin",
    },  # fmt: skip
}


@pytest.mark.django_db
def test_staff_may_open_what_the_rule_says(objects, demo_staff):
    things = {f"{office}.{kind}": obj for office, d in objects.items() for kind, obj in d.items()}
    things.update({f"dept.{d.code}": d for d in Department.objects.filter(
        code__in=["shimin", "hoken_nenkin"])})  # fmt: skip
    wrong = [
        f"{user} {'may' if want else 'may not'} open {name}"
        for user, allowed in MAY_OPEN.items()
        for name, obj in things.items()
        if demo_staff[user].staff.may_open(obj) != (want := name in allowed)
    ]
    assert not wrong, wrong


@pytest.mark.django_db
def test_an_object_without_a_rule_is_an_error_not_an_open_door(demo_staff):
    with pytest.raises(TypeError, match="no rule"):
        demo_staff["admin"].staff.may_open(Office.objects.first())


@pytest.mark.django_db
def test_protection_logs_each_protected_resident_and_only_the_admin_sees(objects, demo_staff):
    visit = objects["honcho"]["visit"]
    assert access.protection(demo_staff["shimin"], visit, where="test").visible
    assert not AuditEntry.objects.filter(action__startswith="protected_address").exists()
    head = visit.people.get(key="p1").resident
    head.support_measure = True
    head.save()
    task = objects["honcho"]["task"]  # the wife's: protected through her household
    for user, visible in (("shimin", False), ("kanri", False), ("admin", True)):
        shown = access.protection(demo_staff[user], task, where="test")
        assert (shown.protected, shown.visible) == (True, visible)
    assert access.protection(None, task, where="test").hidden  # a core system never sees
    assert list(
        AuditEntry.objects.filter(detail__where="test")
        .order_by("id")
        .values_list("action", "resident_id")
    ) == [("protected_address.refused", head.pk)] * 2 + [
        ("protected_address.shown", head.pk),
        ("protected_address.refused", head.pk),
    ]
