"""支援措置 (DV protection): a protected resident's address is shown or printed to the
administrator role only, and every attempt to see it, allowed or not, is in the audit log."""

from accounts import audit
from accounts.models import Staff


def role_of(user) -> str | None:
    staff = getattr(user, "staff", None) if user is not None and user.is_authenticated else None
    return staff.role if staff else None


def may_see_protected(user) -> bool:
    return role_of(user) == Staff.Role.ADMIN


def address_visible(user, protected_ids, *, request=None, visit_id=None, where: str) -> bool:
    """True when the address may be shown; logs one entry per protected resident either way."""
    protected_ids = [i for i in protected_ids if i]
    if not protected_ids:
        return True
    allowed = may_see_protected(user)
    action = "protected_address.shown" if allowed else "protected_address.refused"
    for rid in protected_ids:
        audit.record(user, action, resident_id=rid, visit_id=visit_id, request=request, where=where)
    return allowed
