"""pack.yaml's municipality block names the city (code, name, pref) and is checked."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from catalog.pack import check_pack, load_pack, read_municipality
from catalog.tests.helpers import PACK_DIR

OVERLAY_DIR = PACK_DIR.parent / "overlays" / "example-city"
BLOCK = 'municipality:\n  code: "012084"\n  name: 北見市\n  pref: 北海道\n'


@pytest.fixture
def meta(tmp_path):
    """A copy of the default pack; meta(new) replaces its municipality block."""
    root = tmp_path / "pack"
    shutil.copytree(PACK_DIR, root)
    path = root / "pack.yaml"
    assert BLOCK in path.read_text(encoding="utf-8")

    def edit(new):
        path.write_text(path.read_text(encoding="utf-8").replace(BLOCK, new, 1), encoding="utf-8")

    edit.root = root
    return edit


def test_the_default_pack_and_the_overlay_name_their_city():
    assert read_municipality(PACK_DIR) == {"code": "012084", "name": "北見市", "pref": "北海道"}
    # The overlay's block is merged over its base's, key by key.
    assert read_municipality(OVERLAY_DIR) == {
        "code": "019992",
        "name": "さくら市",
        "pref": "北海道",
    }
    assert load_pack(OVERLAY_DIR).municipality == read_municipality(OVERLAY_DIR)


@pytest.mark.parametrize(
    ("block", "words"),
    [
        ("", "municipality（code・name・pref）がありません"),
        ('municipality:\n  code: "012084"\n  name: 北見市\n', "municipality に「pref」がありません"),
        ('municipality:\n  code: "012085"\n  name: 北見市\n  pref: 北海道\n',
         "code「012085」は全国地方公共団体コードではありません（6桁目の検査数字は 4 のはずです）"),
        ('municipality:\n  code: "12084"\n  name: 北見市\n  pref: 北海道\n', "数字6桁で書いてください"),
        ("municipality:\n  code: 12084\n  name: 北見市\n  pref: 北海道\n", "code は文字で書いてください"),
        ('municipality:\n  code: "012084"\n  name: 北見市\n  pref: 北海道\n  prefecture: 北海道\n',
         "不明な項目「prefecture」"),
    ],
    ids=["missing", "no-pref", "check-digit", "five-digits", "unquoted", "unknown-key"],
)  # fmt: skip
def test_catalog_check_reports_a_missing_or_wrong_municipality(meta, block, words, tmp_path):
    meta(block)
    (problem,) = [p for p in check_pack(meta.root) if p.kind == "error"]
    assert words in problem.message and problem.file.endswith("pack.yaml")
    with pytest.raises(CommandError):
        call_command("catalog", "check", str(meta.root))


def test_the_line_of_a_wrong_code_is_the_layer_that_wrote_it(tmp_path):
    shutil.copytree(PACK_DIR.parent, tmp_path / "catalogs")
    overlay = tmp_path / "catalogs" / "overlays" / "example-city" / "pack.yaml"
    text = overlay.read_text(encoding="utf-8")
    overlay.write_text(text.replace('code: "019992"', 'code: "019998"'), encoding="utf-8")
    (problem,) = [p for p in check_pack(overlay.parent) if p.kind == "error"]
    line = text[: text.index('code: "019992"')].count("\n") + 1
    assert (problem.file, problem.line) == (str(overlay), line)
    assert "検査数字は 2 のはずです" in problem.message


def test_read_municipality_never_raises_on_a_pack_it_cannot_read(tmp_path):
    assert read_municipality(tmp_path / "nothing") == {"code": "", "name": "", "pref": ""}
    (tmp_path / "pack.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    assert read_municipality(tmp_path) == {"code": "", "name": "", "pref": ""}


def test_catalog_diff_names_a_change_of_prefecture_in_words(meta):
    meta('municipality:\n  code: "472018"\n  name: 那覇市\n  pref: 沖縄県\n')
    from catalog.exchange import diff_packs

    lines = diff_packs(load_pack(PACK_DIR), load_pack(meta.root))
    assert "  自治体の都道府県: 北海道 → 沖縄県" in lines
    assert "  自治体の団体コード: 012084 → 472018" in lines
