"""A procedure's 手引き (guides.yaml): written in the pack, replaced key by key by a
municipality's overlay, refused for a procedure that does not exist, shown in the catalog."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from catalog.pack import check_pack, load_pack

CATALOGS = Path(settings.BASE_DIR) / "catalogs"


def test_the_overlay_replaces_one_item_and_keeps_the_base_s_others():
    base = load_pack(CATALOGS / "default").procedures["jidoteate_nintei"].guide
    city = load_pack(CATALOGS / "overlays" / "example-city")
    guide = city.procedures["jidoteate_nintei"].guide
    assert guide["why"] == base["why"] and guide["check"] == base["check"]
    assert guide["mistakes"].startswith("さくら市では") and guide["mistakes"] != base["mistakes"]
    assert city.procedures["sakura_pass"].guide["why"].startswith("さくら市独自")
    assert "guides.yaml" in city.documents


def test_a_guide_for_an_unknown_procedure_is_an_error(tmp_path):
    pack = tmp_path / "city"
    shutil.copytree(CATALOGS / "overlays" / "example-city", pack)
    text = (pack / "pack.yaml").read_text(encoding="utf-8")
    (pack / "pack.yaml").write_text(
        text.replace("../../default", str(CATALOGS / "default")), encoding="utf-8"
    )
    (pack / "guides.yaml").write_text("guides:\n  - id: no_such\n    why: x\n", encoding="utf-8")
    problems = [str(p) for p in check_pack(pack)]
    assert any("no_such" in p for p in problems), problems


@pytest.mark.django_db
def test_the_catalog_page_shows_the_guide(clerk_client):
    page = clerk_client.get(reverse("catalog:procedure", args=["jumin_tennyu"])).content.decode()
    assert "よくある誤り" in page and "方書（アパート名・部屋番号）の聞き漏れ" in page
