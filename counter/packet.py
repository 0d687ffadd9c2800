"""The visit as the printer sees it (printing.data), built from the register and the answers."""

from django.utils import timezone

from catalog.pack import default_pack
from counter.navigation import navigate_visit, person_facts
from counter.signatures import latest_signature
from printing.data import PacketData, PersonData, Procedure
from printing.large_slip import route_of
from residents import mynumber
from tenants import scope


def person_data(vp, facts) -> PersonData:
    r = vp.resident
    src = r if r is not None else vp
    return PersonData(
        key=vp.key,
        name=src.name,
        name_kana=src.name_kana,
        birth_date=src.birth_date,
        sex=src.sex,
        relation=src.relation,
        nationality=src.nationality,
        residence_status=getattr(r, "residence_status", ""),
        residence_expiry=getattr(r, "residence_expiry", None),
        residence_card_no=getattr(r, "residence_card_no", ""),
        moving=vp.moving,
        applicant=vp.applicant,
        has_mynumber_card=facts.get("has_mynumber_card"),
        facts=dict(facts),
        numbers=dict(getattr(r, "numbers", None) or {}),
        mynumber=_card_number(vp),
    )


def _card_number(vp) -> str:
    """The 個人番号 read from the person's card at this visit, for the packet being drawn; ""
    when none was read or its key is gone (the clerk then writes it, as without a card)."""
    if not vp.mynumber_enc:
        return ""
    try:
        return mynumber.decrypt(vp.mynumber_enc)
    except mynumber.InvalidToken:
        return ""


def forms_to_sign(visit) -> list[dict]:
    """The forms the visit's packet prints, as the signing page lists them."""
    from printing.layouts import forms_to_sign as printed_forms

    data = packet_data(visit)
    names = {p.key: p.name for p in data.people}
    return [
        {"key": key, "title": title, "person": names.get(person, "")}
        for key, title, person in printed_forms(data)
    ]


def packet_data(visit) -> PacketData:
    people = list(visit.people.select_related("resident"))
    results, _questions = navigate_visit(visit, people)
    pack = default_pack()
    sig = latest_signature(visit)
    head = next(
        (vp for vp in people if (vp.resident.relation if vp.resident else vp.relation) == "世帯主"),
        None,
    )
    head_name = head.display_name if head else ""
    new_address = visit.new_address or (
        {} if visit.moves_in else (visit.household.as_address() if visit.household else {})
    )
    return PacketData(
        visit_number=visit.number,
        municipality=scope.municipality()["name"],
        issued_on=timezone.localdate(visit.created_at),
        events=list(visit.events),
        move=visit.move,
        abroad=visit.abroad,
        event_names=[pack.events[e].name for e in visit.events],
        event_date=visit.event_date,
        new_address=new_address,
        old_address=visit.old_address,
        phone=visit.phone,
        household_head_name=head_name,
        old_household_head_name=head_name if not visit.moves_in else "",
        people=[person_data(vp, person_facts(vp)) for vp in people],
        procedures=[Procedure.from_result(r) for r in results],
        household_facts=dict(visit.household_facts),
        # The newest tablet signature goes into the boxes of the forms it was given for (and
        # into the digest): a form the resident was not shown gets an empty box.
        signature=bytes(sig.png) if sig else None,
        signed_at=sig.signed_at if sig else None,
        signed_forms=list(sig.forms) if sig and sig.forms is not None else None,
        gannen=pack.settings.get("wareki_gannen", 1) not in (0, "0"),  # 0: 「令和1年」
        route=route_of(pack),  # printing.large_slip
        large_slip_age=pack.settings.get("large_slip_age"),
        digits=pack.settings.get("form_digits", "full"),  # a form's template may say otherwise
        training=visit.training,
    )
