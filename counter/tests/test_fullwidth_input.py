"""What the IME types into number-like fields is taken as ASCII (０９０－００２４, ０１５７－２３－
４５６７, full-width dates); names are stored exactly as typed."""

from datetime import date

import pytest
from django.urls import reverse

from counter.models import Visit, VisitPerson


@pytest.fixture
def tennyu(clerk_client):
    r = clerk_client.post(
        reverse("counter:visit_new"),
        {"events": "tennyu", "event_date": "Ｒ８．４．１０", "token": "t-fw"},
    )
    assert r.status_code == 302
    return Visit.objects.get()


def _address(client, visit, **data):
    return client.post(reverse("counter:address", args=[visit.number]), data)


@pytest.mark.django_db
def test_a_full_width_event_date_starts_the_visit(tennyu):
    assert tennyu.event_date == date(2026, 4, 10)


@pytest.mark.django_db
def test_a_full_width_zip_code_is_stored_as_seven_digits(clerk_client, tennyu):
    assert (
        _address(clerk_client, tennyu, which="new_address", zip="０９０－００２４").status_code
        == 200
    )
    _address(clerk_client, tennyu, which="old_address", zip="〒０６０ー０００１")
    tennyu.refresh_from_db()
    assert tennyu.new_address["zip"] == "0900024"
    assert tennyu.old_address["zip"] == "0600001"


@pytest.mark.django_db
def test_a_zip_code_that_is_not_seven_digits_is_refused(clerk_client, tennyu):
    r = _address(clerk_client, tennyu, which="new_address", zip="０９０－００２")
    assert r.status_code == 400
    assert "7桁の数字" in r.content.decode()


@pytest.mark.django_db
def test_a_full_width_phone_number_is_stored_in_ascii(clerk_client, tennyu):
    assert (
        _address(
            clerk_client, tennyu, which="new_address", phone="０１５７－２３－４５６７"
        ).status_code
        == 200
    )
    tennyu.refresh_from_db()
    assert tennyu.phone == "0157-23-4567"


@pytest.mark.django_db
def test_a_phone_number_with_letters_is_refused(clerk_client, tennyu):
    r = _address(clerk_client, tennyu, which="new_address", phone="でんわ")
    assert r.status_code == 400
    assert "電話番号は数字とハイフン" in r.content.decode()


@pytest.mark.django_db
def test_a_full_width_banchi_is_stored_with_ascii_digits(clerk_client, tennyu):
    _address(
        clerk_client, tennyu, which="new_address", banchi="３－１２", katagaki="コーポ北見　２０１"
    )
    tennyu.refresh_from_db()
    assert tennyu.new_address["banchi"] == "3-12"
    assert tennyu.new_address["katagaki"] == "コーポ北見　２０１"  # free text: kept as typed


@pytest.mark.django_db
def test_a_full_width_birth_date_adds_the_newcomer_and_the_name_stays_as_typed(
    clerk_client, tennyu
):
    r = clerk_client.post(
        reverse("counter:person_add", args=[tennyu.number]),
        {
            "surname": "葛󠄀西",  # 葛 + U+E0100 (IVS)
            "given_name": "Ｊｏｈｎ",
            "surname_kana": "カサイ",
            "given_kana": "ジョン",
            "birth_date": "１９８８－０５－１２",
            "sex": "1",
            "relation": "世帯主",
            "nationality": "JP",
            "token": "fw-1",
        },
    )
    assert r.status_code == 302
    p = VisitPerson.objects.get()
    assert p.birth_date == date(1988, 5, 12)
    assert p.name == "葛\U000e0100西\u3000Ｊｏｈｎ"


@pytest.mark.django_db
def test_a_full_width_wareki_birth_date_too(clerk_client, tennyu):
    clerk_client.post(
        reverse("counter:person_add", args=[tennyu.number]),
        {
            "surname": "山田",
            "birth_date": "昭和６３年５月１２日",
            "sex": "2",
            "relation": "世帯主",
            "nationality": "JP",
            "token": "fw-2",
        },
    )
    assert VisitPerson.objects.get().birth_date == date(1988, 5, 12)
