"""The city is the active pack's municipality: a pack for another city prints and searches as it.

settings.MUNICIPALITY is read from the pack at start-up (catalog.pack.read_municipality);
a test that switches CATALOG_DIR does the same. Nothing of 北見市 may remain in what the
counter prints for 那覇市, nor in what the search box strips.
"""

import os
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalog.pack import default_pack, read_municipality
from catalog.tests.helpers import PACK_DIR
from counter.models import Visit
from printing.tests.raster import page_texts
from residents.models import Household
from residents.tests.conftest import make_household, make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def naha(tmp_path, settings):
    """An overlay of the default pack for 那覇市 (沖縄県, 472018), made the running pack."""
    root = tmp_path / "naha"
    root.mkdir()
    (root / "pack.yaml").write_text(
        f"name: 那覇市カタログ（テスト）\nversion: '1'\nbase: {PACK_DIR}\n"
        'municipality: {code: "472018", name: 那覇市, pref: 沖縄県}\n',
        encoding="utf-8",
    )
    settings.CATALOG_DIR = root
    settings.MUNICIPALITY = read_municipality(root)  # as settings.py does at start-up
    assert default_pack().municipality["name"] == "那覇市"
    return root


def _tennyu_with_one_newcomer(client) -> Visit:
    client.post(
        reverse("counter:visit_new"),
        {"events": "tennyu", "event_date": "R8.4.10", "token": "t-naha"},
    )
    visit = Visit.objects.get()
    client.post(
        reverse("counter:person_add", args=[visit.number]),
        {
            "surname": "比嘉",
            "given_name": "花子",
            "surname_kana": "ヒガ",
            "given_kana": "ハナコ",
            "birth_date": "昭和55年3月2日",
            "sex": "2",
            "relation": "世帯主",
            "nationality": "JP",
            "token": "p-naha",
        },
    )
    client.post(
        reverse("counter:address", args=[visit.number]),
        {"which": "new_address", "town": "久茂地", "banchi": "1-1-1"},
    )
    visit.refresh_from_db()
    return visit


def test_a_new_address_in_the_city_is_in_the_packs_city(naha, clerk_client):
    visit = _tennyu_with_one_newcomer(clerk_client)
    assert (visit.new_address["pref"], visit.new_address["city"]) == ("沖縄県", "那覇市")


def test_the_slip_and_the_forms_are_addressed_to_the_packs_city(naha, clerk_client):
    visit = _tennyu_with_one_newcomer(clerk_client)
    r = clerk_client.get(reverse("counter:packet", args=[visit.number]))
    assert r["Content-Type"] == "application/pdf"
    pages = page_texts(r.content)
    slip, forms = pages[0], pages[1:]
    assert "那覇市" in slip and "受付案内票" in slip
    addressed = [p for p in forms if "（あて先）" in p]
    # The city's forms go to its 市長; the 水道使用開始届 (nobody lived at the new address) to
    # the water utility's 管理者, a 公営企業 of its own.
    assert addressed and all(
        "（あて先）那覇市長" in p or "（あて先）上下水道事業管理者" in p for p in addressed
    )
    assert any("（あて先）那覇市長" in p for p in addressed)
    assert "沖縄県那覇市久茂地" in "".join(forms).replace(" ", "")
    assert not any("北見" in p for p in pages)


def test_the_search_box_strips_the_packs_city_not_kitami(naha, clerk_client):
    home = make_household("北4条東", "1丁目12番地3")
    make_resident("佐藤\u3000太郎", "サトウ\u3000タロウ", household=home)
    url = reverse("counter:home")
    found = clerk_client.get(url, {"q": "那覇市北4条東1丁目"}).content.decode()
    assert "佐藤\u3000太郎" in found
    # 北見市 is no longer this system's city: written without its 都道府県 it stays in the
    # address, which then matches no household.
    other = clerk_client.get(url, {"q": "北見市北4条東1丁目"}).content.decode()
    assert "佐藤\u3000太郎" not in other


def test_the_demo_city_is_generated_in_the_packs_city(naha):
    out = StringIO()
    call_command("generate_city", residents=40, today=date(2026, 4, 1), stdout=out, verbosity=0)
    assert set(Household.objects.values_list("pref", "city")) == {("沖縄県", "那覇市")}
    assert "那覇市（デモ）を作成しました" in out.getvalue()


def test_settings_read_the_city_from_the_pack_the_environment_names(naha):
    # A fresh process, as at start-up: MADOGUCHI_CATALOG is the only thing that names the city.
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.MUNICIPALITY['code'], s.MUNICIPALITY['pref'], s.MUNICIPALITY['name'], "
        "s.OTP_TOTP_ISSUER, sep='|')"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "madoguchi.settings",
        "MADOGUCHI_CATALOG": str(naha),
    }
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "472018|沖縄県|那覇市|Madoguchi 那覇市"
