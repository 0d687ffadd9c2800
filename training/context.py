"""The 練習 banner on every screen: the template context of a practising session."""

from accounts import access
from training import services


def practice(request):
    staff = access.staff_for(getattr(request, "user", None))
    return {
        "PRACTICE": services.current(request) if staff else None,
        "MAY_TRAIN": bool(staff) and access.may_use(staff, "training"),
        "MAY_ASSIGN_TRAINING": bool(staff) and access.may_use(staff, "training_assign"),
    }
