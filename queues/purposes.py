"""What a resident can choose at the kiosk, in plain words, and what each means to the counter."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Purpose:
    code: str
    label: str
    hint: str
    prefix: str  # printed before the number, so the room hears which line is called
    events: tuple[str, ...] = ()  # the navigator's events a visit from this ticket starts with
    department: str = "shimin"  # the department whose counters call it first


PURPOSES = [
    Purpose("moving", _("引越し"), _("転入・転出・市内での住所変更"), "A", ("tennyu",)),
    Purpose("birth", _("出生"), _("赤ちゃんが生まれた"), "B", ("birth",)),
    Purpose("death", _("おくやみ"), _("ご家族が亡くなった"), "C", ("death",)),
    Purpose("certificate", _("証明書"), _("住民票・印鑑証明・戸籍の証明"), "D"),
    Purpose("marriage", _("結婚・離婚"), _("婚姻届・離婚届"), "E", ("marriage",)),
    Purpose("insurance", _("保険・年金"), _("国民健康保険・国民年金"), "F", (), "hoken_nenkin"),
    Purpose("other", _("その他"), _("わからないときはこちら"), "G"),
]
BY_CODE = {p.code: p for p in PURPOSES}
CHOICES = [(p.code, p.label) for p in PURPOSES]


def purpose(code: str) -> Purpose:
    return BY_CODE.get(code) or BY_CODE["other"]
