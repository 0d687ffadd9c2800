from django import template

from lib import wareki

register = template.Library()


@register.filter
def wa(d):
    """和暦 for Japanese residents' dates on screen (令和8年4月10日)."""
    if not d:
        return "—"
    try:
        return wareki.to_wareki(d)
    except ValueError:
        return d.isoformat()


@register.filter
def birth(person):
    """A birth date as the register shows it: 和暦, or 西暦 for a foreign resident."""
    d = person.birth_date
    if not d:
        return "—"
    return wareki.to_seireki(d) if person.nationality != "JP" else wa(d)


@register.filter
def wa_short(d):
    """「R8.4.10」 for a date or a time's day on dense screens (the audit log)."""
    if not d:
        return "—"
    try:
        return wareki.to_wareki_short(d.date() if hasattr(d, "date") else d)
    except ValueError:
        return d.isoformat()


@register.filter
def sex(person):
    """男・女 as the register shows it. get_sex_display rebuilds and translates every choice on
    each call: on a search page of 150 people that was a tenth of the page's time."""
    from residents.models import Resident

    try:
        return Resident.Sex(person.sex).label
    except ValueError:
        return person.sex
