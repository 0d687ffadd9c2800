"""Who may open what, and who sees a 支援措置 (DV protection) address: decided here only.

Views authorise through `require(request, screen)` and `get_for_staff(request, model, …)`
(or `staff.may_open(obj)`); every page, print, CSV row, API object, push and message that
could carry an address asks `protection(viewer, obj, where=…)` first. The permission matrix
(madoguchi/tests/test_permission_matrix.py) is this module's table, read as HTTP statuses.

The 支援措置 rule: whatever touches a member of a protected household is protected — the
visit's household and every resident of it, every person in the visit and their households,
any resident linked to a task. Only the administrator sees such an address; every attempt,
shown or refused, is in the audit log.

accounts sits below every app whose objects it guards and imports none of them: an object is
known by its model label (`counter.visit`), and says itself which protected residents it
touches through `protected_resident_ids()` (Household, Resident, Visit, Task).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import audit
from accounts.models import Department, Office, Staff
from lib.text import unstorable

Role = Staff.Role
COUNTER_ROLES = (Role.CLERK, Role.SUPERVISOR, Role.ADMIN)
# Not bound to one office or one department: they open any visit, task or department queue.
OVERSEERS = (Role.SUPERVISOR, Role.ADMIN)

# Screens that are a role's, whatever object they show; and what anyone else is told.
SCREENS = {
    "counter": (
        COUNTER_ROLES,
        _l("担当課の職員は窓口の画面を開けません。業務一覧から対応してください。"),
    ),
    "queue": (COUNTER_ROLES, _l("この画面は窓口の職員だけが使えます。")),
    # Calling: each department calls the residents waiting for its own counters (保険年金課 at
    # 5番・6番); issuing tickets and reservations stay with the counter staff.
    "queue_call": (
        COUNTER_ROLES + (Role.DEPARTMENT,),
        _l("この画面は窓口と担当課の職員だけが使えます。"),
    ),
    "analytics": (OVERSEERS, _l("この画面は監督者と管理者だけが使えます。")),
    "audit": (OVERSEERS, _l("監査ログは監督者と管理者だけが閲覧できます。")),
    # Reopening an accepted visit (counter.services.reopen_visit): a supervisor's decision.
    "reopen": (OVERSEERS, _l("受付済みの来庁を再開できるのは監督者と管理者だけです。")),
    "designer": ((Role.ADMIN,), _l("様式の設計は管理者だけが行えます。")),
    # Other staff's accounts: lifting a login lock, stopping an account, resetting its 2FA.
    "staff_accounts": ((Role.ADMIN,), _l("職員アカウントの管理は管理者だけが行えます。")),
    "lobby": ((Role.DEPARTMENT,), _l("相談の待合は担当課の職員が開きます。")),
    # 練習モード: anyone who works the counter practises; supervisors assign and read results.
    "training": (COUNTER_ROLES, _l("練習モードは窓口の職員が使います。")),
    "training_assign": (
        OVERSEERS,
        _l("練習の割り当てと成績の一覧は監督者と管理者だけが使えます。"),
    ),
}
OTHER_OFFICE_VISIT = _l("他の庁舎の来庁は表示できません。")
OTHER_DEPARTMENT = _l("他の課の業務は表示できません。")
OTHER_DEPARTMENT_TICKET = _l("他の課の番号は操作できません。")


# --- who is asking ------------------------------------------------------------------------------


def staff_for(user) -> Staff | None:
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "staff", None)


def staff_of(request) -> Staff:
    staff = staff_for(request.user)
    if staff is None:
        raise PermissionDenied(_("職員として登録されていません。"))
    return staff


def may_use(staff: Staff, screen: str) -> bool:
    return staff.role in SCREENS[screen][0]


def require(request, screen: str) -> Staff:
    """The staff member, if their role may use this screen; else 403 with the reason."""
    staff = staff_of(request)
    if not may_use(staff, screen):
        raise PermissionDenied(str(SCREENS[screen][1]))
    return staff


def account_refusal(staff: Staff, target: Staff) -> str | None:
    """Why this administrator may not stop or reset `target`'s account from the staff screen:
    never their own, so the deployment always keeps the administrator who is acting (their own
    second factor is changed from 「パスワードと2段階認証」, where the old one is asked)."""
    if target.user_id == staff.user_id:
        return str(_l("自分のアカウントはこの画面では停止・リセットできません。"))
    return None


def may_see_training_of(staff: Staff, trainee) -> bool:
    """A trainee's practice results: their own, or any for a supervisor or the administrator."""
    return staff.user_id == trainee.pk or staff.role in OVERSEERS


def trainees():
    """The staff a supervisor may give practice to: those who work the counter."""
    return Staff.objects.filter(role__in=SCREENS["training"][0]).select_related("user")


def second_factor_required(staff: Staff | None) -> bool:
    """Roles that must show a one-time code in production (MADOGUCHI_2FA_ROLES)."""
    return staff is not None and staff.role in settings.TWO_FACTOR_ROLES


def oversees(staff: Staff) -> bool:
    """Supervisors and the administrator: every office, and a choice of department."""
    return staff.role in OVERSEERS


def office_scope(staff: Staff) -> Office | None:
    """The one office whose visits a list shows this staff member (a branch office's own), or
    None for every office."""
    return staff.office if staff.office.kind == Office.Kind.BRANCH else None


# --- objects --------------------------------------------------------------------------------------


def _visit(staff, visit):
    if not may_use(staff, "counter"):
        return SCREENS["counter"][1]
    if not oversees(staff) and visit.office_id != staff.office_id:
        return OTHER_OFFICE_VISIT
    return None


def _task(staff, task):
    if oversees(staff):
        return None
    if task.department_id != staff.department_id:
        return OTHER_DEPARTMENT
    if office_scope(staff) is not None and task.visit.office_id != staff.office_id:
        return OTHER_OFFICE_VISIT
    return None


def _ticket(staff, ticket):
    if not may_use(staff, "queue_call"):
        return SCREENS["queue_call"][1]
    if not oversees(staff) and ticket.office_id != staff.office_id:
        return _l("他の庁舎の番号は操作できません。")
    if staff.role == Role.DEPARTMENT and ticket.department_id != staff.department_id:
        sent_here = (
            ticket.counter is not None and ticket.counter.department_id == staff.department_id
        )
        if not sent_here:
            return OTHER_DEPARTMENT_TICKET
    return None


def _counter(staff, counter):
    if not may_use(staff, "queue_call"):
        return SCREENS["queue_call"][1]
    if not oversees(staff) and counter.office_id != staff.office_id:
        return _l("他の庁舎の窓口は操作できません。")
    if staff.role == Role.DEPARTMENT and counter.department_id != staff.department_id:
        return _l("他の課の窓口は操作できません。")
    return None


def tickets_for_queue(staff: Staff, tickets):
    """The waiting list a staff member sees: a department's clerks, who waits for them (their
    purposes, or sent to one of their counters); counter staff, the whole office."""
    if staff.role != Role.DEPARTMENT:
        return tickets
    return tickets.filter(
        Q(department_id=staff.department_id) | Q(counter__department_id=staff.department_id)
    )


def queue_counters(staff: Staff, counters):
    """The counters a staff member calls from: a department's own, or every counter of the
    office for counter staff."""
    return [c for c in counters if _counter(staff, c) is None]


def _consultation(staff, consultation):
    if staff.user_id not in (consultation.requested_by_id, consultation.specialist_id):
        return _l("このリモート相談に参加できるのは、依頼した職員と受け入れた職員だけです。")
    return None


def _department(staff, department):
    """A department's work queue (and CSV): one's own, or any for those who oversee."""
    if department.pk != staff.department_id and not oversees(staff):
        return OTHER_DEPARTMENT
    return None


RULES = {
    "counter.visit": _visit,
    "backoffice.task": _task,
    "queues.ticket": _ticket,
    "queues.counter": _counter,
    "remote.consultation": _consultation,
    "accounts.department": _department,
}


def refusal(staff: Staff, obj) -> str | None:
    """Why this staff member may not open obj, or None when they may. An object without a
    rule is a programming error, never silently allowed."""
    rule = RULES.get(obj._meta.label_lower)
    if rule is None:
        raise TypeError(f"accounts.access has no rule for {obj._meta.label}")
    reason = rule(staff, obj)
    return None if reason is None else str(reason)


def may_open(staff: Staff, obj) -> bool:
    return refusal(staff, obj) is None


def check(staff: Staff, obj):
    reason = refusal(staff, obj)
    if reason is not None:
        raise PermissionDenied(reason)


def get_for_staff(request, model_or_queryset, **lookup):
    """The object, if this staff member may open it: 404 when there is none, 403 with the
    reason when it is not theirs. The views' one way to an object by its id."""
    staff = staff_of(request)
    obj = get_object_or_404(model_or_queryset, **lookup)
    check(staff, obj)
    return obj


def department_for_staff(request, code: str | None) -> Department:
    """The department whose queue a screen shows: the staff member's own, or the one the
    query names (`?department=`) if they may open it."""
    staff = staff_of(request)
    if not code or code == staff.department.code:
        return staff.department
    # An unknown code is refused like any other department, and only then not found; one
    # with a NUL never reaches the database, which no department's code holds.
    known = not unstorable(code) and Department.objects.filter(code=code).first()
    department = known or Department(code=code)
    check(staff, department)
    if department.pk is None:
        raise Http404(_("その課はありません。"))
    return department


# --- 支援措置 ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Protection:
    """What one viewer may see of the addresses an object touches."""

    resident_ids: tuple[int, ...]  # the protected residents it touches; empty: not protected
    visible: bool

    @property
    def protected(self) -> bool:
        return bool(self.resident_ids)

    @property
    def hidden(self) -> bool:
        return not self.visible


def protected_ids(*objs) -> tuple[int, ...]:
    """The protected residents the objects touch, each object asked through its own
    `protected_resident_ids()` (a household, resident, visit or task)."""
    ids: set[int] = set()
    for obj in objs:
        if obj is not None:
            ids.update(obj.protected_resident_ids())
    return tuple(sorted(ids))


def may_see_protected(user) -> bool:
    """The administrator only; a core system (no user) never."""
    staff = staff_for(user)
    return staff is not None and staff.role == Role.ADMIN


def protection(viewer, *objs, where: str, request=None, visit_id=None, **detail) -> Protection:
    """Whether `viewer` (a user; None for a core system) may see the addresses on a page,
    print, row or payload about `objs`. Logs one entry per protected resident, shown or
    refused; an object that touches nobody protected is visible and logs nothing."""
    ids = protected_ids(*objs)
    if not ids:
        return Protection((), True)
    allowed = may_see_protected(viewer)
    action = "protected_address.shown" if allowed else "protected_address.refused"
    for rid in ids:
        audit.record(
            viewer,
            action,
            resident_id=rid,
            visit_id=visit_id,
            request=request,
            where=where,
            **detail,
        )
    return Protection(ids, allowed)


# --- the register ------------------------------------------------------------------------------

# The core system that keeps the resident register (住民記録システム) belongs to the 市民課: only
# its token may load the register (backoffice.register_api).
REGISTER_DEPARTMENT = "shimin"


def may_load_register(system) -> bool:
    """Whether a core system (backoffice.CoreSystem) may load the register."""
    return system.department.code == REGISTER_DEPARTMENT
