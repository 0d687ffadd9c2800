"""`madoguchi packet SCENARIO.yaml -o packet.pdf`: a visit's packet as PDF, without the database.

For previews and outside checks (FORMAT.md): the scenario's identity data fill the forms,
the navigator decides which forms there are. A scenario that is not valid exits 2.
"""

from dataclasses import replace
from datetime import date
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from catalog.navigator import navigate
from catalog.pack import PackError, default_pack
from catalog.scenario import ScenarioError, load_scenario
from lib.wareki import DateParseError, parse_date
from printing.data import PacketData, PersonData, Procedure
from printing.fonts import FontNotFound, MissingGlyphError
from printing.large_slip import route_of
from printing.pdf import page_count, render_packet
from printing.templates_loader import FormError
from tenants import scope

PREVIEW = "プレビュー"  # printed where a real visit's number would be


class Command(BaseCommand):
    help = "シナリオファイルの来庁について、受付案内票と申請書一式をPDFで書き出します。"
    requires_system_checks = []  # files in, a file out: no database, no URLs

    def add_arguments(self, parser):
        parser.add_argument("scenario", help="シナリオファイル（YAML）")
        parser.add_argument("-o", "--output", help="書き出すPDF（既定: シナリオ名.pdf）")

    def handle(self, *args, scenario, output=None, **options):
        try:
            pack = default_pack()
        except PackError as e:
            raise CommandError(f"カタログを読み込めません: {e}") from None
        try:
            sc = load_scenario(scenario, pack)
            data = packet_from_scenario(sc, navigate(pack, sc.case), pack)
        except ScenarioError as e:
            raise CommandError(str(e), returncode=2) from None
        try:
            pdf = render_packet(data)
        except (MissingGlyphError, FontNotFound, FormError) as e:
            raise CommandError(str(e)) from None
        out = Path(output or Path(scenario).with_suffix(".pdf").name)
        out.write_bytes(pdf)
        self.stdout.write(f"{out}: {page_count(pdf)}ページ（{sc.name}）")


def packet_from_scenario(sc, results, pack) -> PacketData:
    """The printing data of a scenario: its identity data and the navigator's results."""
    people = [_person(sc, p) for p in sc.people]
    by_id = {p.key: p for p in people}
    head = next((p for p in people if p.relation == "世帯主"), None)
    household = sc.household
    moves = [pack.events[e] for e in sc.case.events if pack.events[e].move]
    return PacketData(
        visit_number=PREVIEW,
        municipality=scope.municipality()["name"],
        issued_on=sc.case.date,
        events=list(sc.case.events),
        event_names=[pack.events[e].name for e in sc.case.events],
        move=moves[0].move if moves else None,
        abroad=any(e.abroad for e in moves),
        event_date=sc.case.date,
        new_address=dict(household.get("address") or {}),
        old_address=dict(household.get("old_address") or {}),
        phone=str(household.get("phone") or ""),
        household_head_name=head.name if head else "",
        # A scenario says nothing of the household left behind; staff fill it from the 転出証明書.
        old_household_head_name="",
        people=people,
        procedures=[
            replace(Procedure.from_result(r), person=r.person if r.person in by_id else None)
            for r in results
        ],
        household_facts=dict(sc.case.household),
        route=route_of(pack),
        large_slip_age=pack.settings.get("large_slip_age"),
        digits=pack.settings.get("form_digits", "full"),  # a form's template may say otherwise
    )


LEGAL_ITEMS = ("honseki", "hittosha")


def _person(sc, p: dict) -> PersonData:
    facts = next(x.facts for x in sc.case.people if x.id == p["id"])
    foreign = facts.get("nationality") == "foreign"
    name = p.get("name_alpha") if foreign and p.get("name_alpha") else p.get("name")
    card = facts.get("has_mynumber_card")
    return PersonData(
        key=p["id"],
        # A scenario may leave identity out: print the id in brackets rather than nothing.
        name=str(name or f"（{p['id']}）"),
        name_kana="" if foreign else str(p.get("name_kana") or ""),
        birth_date=facts.get("birth_date"),
        sex=str(facts.get("sex") or "0"),
        relation=str(facts.get("relation") or ""),
        # The nationality fact is only JP/foreign; the country itself is confirmed at the counter.
        nationality="未確認" if foreign else "JP",
        residence_status=str(p.get("residence_status") or ""),
        residence_expiry=_date(sc, p.get("residence_expiry")),
        residence_card_no=str(p.get("residence_card_no") or ""),
        moving=bool(facts.get("moving")),
        applicant=bool(facts.get("applicant")),
        has_mynumber_card=card if isinstance(card, bool) else None,
        # The forms fill their boxes from the facts, as a visit's packet does (counter/packet.py).
        # 本籍・筆頭者 are identity data of the scenario; the 住民異動届 prints them.
        facts={**facts, **{k: str(p[k]) for k in LEGAL_ITEMS if p.get(k)}},
    )


def _date(sc, value) -> date | None:
    if value in (None, "", "unknown"):
        return None
    if isinstance(value, date):
        return value
    try:
        return parse_date(str(value))
    except DateParseError as e:
        raise ScenarioError(
            sc.path, 0, f"residence_expiry の日付「{value}」が正しくありません（{e}）"
        ) from None
