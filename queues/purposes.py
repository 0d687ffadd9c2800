"""What a resident can choose at the kiosk, in plain words, and what each means to the counter."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Purpose:
    code: str
    label: str
    hint: str  # the kiosk's line under the label, in やさしい日本語 (furigana: queues.furigana)
    prefix: str  # printed before the number, so the room hears which line is called
    events: tuple[str, ...] = ()  # the navigator's events a visit from this ticket starts with
    department: str = "shimin"  # the department whose counters call it first
    # A checked-in reservation of this purpose is called at its booked time, ahead of the
    # walk-ins waiting in the same line (queues.models.TicketQuerySet.in_call_order).
    booked_first: bool = True
    # Offered on the public 来庁予約 form. おくやみ has its own form (the deceased's details).
    public_booking: bool = True
    # A booked リモート相談 at a 支所: the code of the main-office department whose specialist
    # the slot is with. At the slot's time, once the resident's visit is open at the branch
    # counter, it becomes a consultation request in that department's lobby (remote.services
    # .request_booked, run by `madoguchi remote_due`).
    remote_department: str = ""


PURPOSES = [
    Purpose(
        "moving", _("引越し"), _("他の 町から 来た・他の 町へ 行く・家が 変わる"), "A", ("tennyu",)
    ),
    Purpose("birth", _("出生"), _("赤ちゃんが 生まれた"), "B", ("birth",)),
    Purpose("death", _("おくやみ"), _("家族が 亡くなった"), "C", ("death",), public_booking=False),
    # Certificates are quick and taken in turn: no booking, no place ahead of anyone.
    Purpose(
        "certificate",
        _("証明書"),
        _("住民票・印鑑証明・戸籍の 証明書"),
        "D",
        booked_first=False,
        public_booking=False,
    ),
    Purpose("marriage", _("結婚・離婚"), _("結婚・離婚の 届け"), "E", ("marriage",)),
    Purpose("insurance", _("保険・年金"), _("国民健康保険・国民年金"), "F", (), "hoken_nenkin"),
    Purpose("other", _("その他"), _("わからない ときは ここ"), "G"),
]
# Booked only, never a walk-in's choice: not on the kiosk (which lists PURPOSES), but a
# reservation's ticket and slot may carry them.
BOOKED_ONLY = [
    Purpose(
        "remote_hoken",
        _("保険・年金の相談（本庁とリモート）"),
        _("支所で 本庁の 保険・年金の 担当と 画面で 話す"),
        "H",
        remote_department="hoken_nenkin",
    ),
]
ALL = PURPOSES + BOOKED_ONLY
BY_CODE = {p.code: p for p in ALL}
CHOICES = [(p.code, p.label) for p in ALL]
BOOKED_FIRST = [p.code for p in ALL if p.booked_first]
PUBLIC_BOOKING = [p.code for p in ALL if p.public_booking]
REMOTE = {p.code: p.remote_department for p in ALL if p.remote_department}


def purpose(code: str) -> Purpose:
    return BY_CODE.get(code) or BY_CODE["other"]
