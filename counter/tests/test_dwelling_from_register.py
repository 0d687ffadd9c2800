"""A household moving in to an address where the register has nobody starts its own dwelling:
the interview does not ask 「住まいを新しく始めるのですか」 (new_dwelling), the visit says so with
its reason, and takes it back when the address changes to one where someone may live."""

from datetime import date

import pytest

from accounts.models import AuditEntry
from counter import services
from counter.models import Visit
from counter.tests.factories import household, resident
from residents.occupancy import anyone_registered_at, same_dwelling

pytestmark = pytest.mark.django_db

KORPO = {"town": "北4条東", "banchi": "3-12", "katagaki": "コーポ北見 201"}


def _living(**address):
    hh = household(**address)
    resident(hh, "北見　太郎", "キタミ　タロウ", date(1980, 1, 1), "世帯主")
    return hh


def _newcomers(clerk, events=("tennyu",)) -> Visit:
    return services.start_visit(
        by=clerk, office=clerk.staff.office, events=list(events), event_date=date(2026, 4, 10)
    )


# -- the register ---------------------------------------------------------------------------


def test_nobody_registered_at_an_address_the_register_does_not_have():
    _living(town="北4条東", banchi="3-11")
    assert anyone_registered_at(KORPO) is False


@pytest.mark.parametrize(
    "there",
    [
        {"banchi": "3-12", "katagaki": "コーポ北見 201"},
        {"banchi": "３－１２", "katagaki": "コーポ北見２０１"},  # width and spaces folded
        {"banchi": "3丁目12番地", "katagaki": "コーポ北見201"},
        {"banchi": "3-12", "katagaki": ""},  # at the bare 番地: which dwelling is not said
    ],
)
def test_someone_registered_at_the_same_dwelling(there):
    _living(town="北4条東", **there)
    assert anyone_registered_at(KORPO) is True


def test_another_flat_of_the_building_is_another_dwelling():
    _living(town="北4条東", banchi="3-12", katagaki="コーポ北見 102")
    assert anyone_registered_at(KORPO) is False
    # Without its 方書 the address may be any flat of the building.
    assert anyone_registered_at({**KORPO, "katagaki": ""}) is True
    # 3-120 is another 番地.
    assert anyone_registered_at({**KORPO, "banchi": "3-1", "katagaki": ""}) is False


def test_households_whose_members_all_left_live_nowhere():
    hh = _living(**KORPO)
    hh.residents.update(removed_on=date(2026, 3, 31))
    assert anyone_registered_at(KORPO) is False


def test_a_protected_household_is_never_counted():
    """The answer must not tell whether a 支援措置 household lives at the address."""
    hh = _living(**KORPO)
    hh.residents.update(support_measure=True)
    assert anyone_registered_at(KORPO) is False


def test_an_address_without_its_town_or_banchi_says_nothing():
    assert anyone_registered_at({"town": "北4条東", "banchi": ""}) is None
    assert anyone_registered_at({}) is None


def test_same_dwelling():
    assert same_dwelling(KORPO, {**KORPO, "banchi": "３－１２"})
    assert same_dwelling(KORPO, {**KORPO, "katagaki": ""})
    assert not same_dwelling(KORPO, {**KORPO, "katagaki": "コーポ北見 202"})
    assert not same_dwelling(KORPO, {**KORPO, "banchi": "3-13"})


# -- the visit ------------------------------------------------------------------------------


def test_a_new_address_where_nobody_lives_settles_the_question(clerk):
    visit = _newcomers(clerk)
    services.set_addresses(visit, by=clerk, new_address={**KORPO, "city": "北見市"})
    visit.refresh_from_db()
    assert visit.household_facts == {"new_dwelling": True}
    answer = visit.answers.get()
    assert (answer.fact, answer.value, answer.derived, answer.by) == (
        "new_dwelling",
        True,
        True,
        clerk,
    )
    entry = AuditEntry.objects.filter(action="visit.answered").latest("pk")
    assert entry.detail["fact"] == "new_dwelling" and entry.detail["derived"] is True


def test_it_is_taken_back_when_the_address_changes_to_an_occupied_one(clerk):
    _living(town="北4条東", banchi="5-5")
    visit = _newcomers(clerk)
    services.set_addresses(visit, by=clerk, new_address=dict(KORPO))
    services.set_addresses(visit, by=clerk, new_address={"town": "北4条東", "banchi": "5-5"})
    visit.refresh_from_db()
    assert "new_dwelling" not in visit.household_facts
    # Both steps are in the history, as the system's.
    assert list(visit.answers.values_list("value", "derived", "withdrawn")) == [
        (True, True, False),
        (None, True, True),  # taken back, not a わからない
    ]
    # Back to an empty one: settled again.
    services.set_addresses(visit, by=clerk, new_address=dict(KORPO))
    visit.refresh_from_db()
    assert visit.household_facts == {"new_dwelling": True}


def test_an_answer_given_at_the_counter_stands(clerk):
    visit = _newcomers(clerk)
    services.record_answers(visit, by=clerk, fact="new_dwelling", value=False, people=[None])
    services.set_addresses(visit, by=clerk, new_address=dict(KORPO))
    visit.refresh_from_db()
    assert visit.household_facts == {"new_dwelling": False}
    # Nor is a yes taken back where someone lives (the resident said so: a flat share).
    _living(town="北4条東", banchi="5-5")
    services.record_answers(visit, by=clerk, fact="new_dwelling", value=True, people=[None])
    services.set_addresses(visit, by=clerk, new_address={"town": "北4条東", "banchi": "5-5"})
    visit.refresh_from_db()
    assert visit.household_facts == {"new_dwelling": True}
    assert visit.answers.filter(derived=True).count() == 0


def test_nothing_is_said_where_someone_is_registered(clerk):
    _living(**KORPO)
    visit = _newcomers(clerk)
    services.set_addresses(visit, by=clerk, new_address=dict(KORPO))
    visit.refresh_from_db()
    assert "new_dwelling" not in visit.household_facts
    assert not visit.answers.exists()


def test_a_household_accepted_lately_at_the_same_dwelling_counts(clerk):
    first = _newcomers(clerk)
    services.set_addresses(first, by=clerk, new_address=dict(KORPO))
    first.status = Visit.Status.ACCEPTED
    first.save(update_fields=["status"])
    second = _newcomers(clerk)
    services.set_addresses(second, by=clerk, new_address={**KORPO, "banchi": "３－１２"})
    second.refresh_from_db()
    assert "new_dwelling" not in second.household_facts


@pytest.mark.parametrize("events", [["tenshutsu"], ["tenkyo"], ["birth"]])
def test_only_a_household_moving_in_from_elsewhere(clerk, events):
    hh = _living(town="北4条東", banchi="9-9")
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=events, event_date=date(2026, 4, 10),
        household=hh,
    )  # fmt: skip
    facts = dict(visit.household_facts)
    services.set_addresses(visit, by=clerk, new_address=dict(KORPO))
    visit.refresh_from_db()
    assert visit.household_facts == facts


def test_the_screen_shows_the_settled_question_with_its_reason(clerk_client, clerk):
    visit = _newcomers(clerk)
    people = {"name": "葛西　辰治", "name_kana": "カサイ　タツジ", "birth_date": "1988-05-12"}
    services.add_newcomer(visit, by=clerk, data={**people, "sex": "1", "relation": "世帯主"})
    page = clerk_client.get(f"/visits/{visit.number}/").content.decode()
    assert 'data-fact="new_dwelling"' in page  # asked while the address is not known

    r = clerk_client.post(
        f"/visits/{visit.number}/address/",
        {"which": "new_address", "town": "北4条東", "banchi": "3-12 コーポ北見 201"},
        HTTP_HX_REQUEST="true",
    )
    body = r.content.decode()
    assert r.status_code == 200 and "保存しました" in body
    # The interview comes back with the status, out of band, without the question.
    assert 'id="live" hx-swap-oob="innerHTML"' in body
    assert "新しい住所に住民登録のある方がいません" in body
    assert 'class="qgroup" data-fact="new_dwelling"' not in body
    assert 'data-procedure="suido_kaishi"' in body

    # A field that settles nothing answers with the status only.
    r = clerk_client.post(
        f"/visits/{visit.number}/address/",
        {"which": "new_address", "zip": "090-0024"},
        HTTP_HX_REQUEST="true",
    )
    assert 'id="live"' not in r.content.decode()


def test_a_protected_household_at_the_address_looks_like_nobody(clerk_client, clerk):
    """Typing an address must not tell the clerk that a protected household lives there."""
    hh = _living(**KORPO)
    hh.residents.update(support_measure=True)
    visit = _newcomers(clerk)
    r = clerk_client.post(
        f"/visits/{visit.number}/address/",
        {"which": "new_address", **KORPO},
        HTTP_HX_REQUEST="true",
    )
    assert "新しい住所に住民登録のある方がいません" in r.content.decode()
