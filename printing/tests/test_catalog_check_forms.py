"""`madoguchi catalog check` opens every form template and blank: a malformed PDF, a missing
file, a box off the page, an unknown option, a clash of AcroForm names are each a line with
the file, not a traceback when a packet is printed."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalog.pack import check_pack
from catalog.tests.helpers import PACK_DIR
from printing.blanks import blank

from .acro_blanks import build


@pytest.fixture
def pack(tmp_path):
    """A copy of the default pack with a forms/ folder of its own (read over the shipped one)."""
    root = tmp_path / "pack"
    shutil.copytree(PACK_DIR, root)
    return root


def _municipal(pack, name: str, head: str, fields: str) -> None:
    (pack / "forms" / f"{name}.yaml").write_text(
        f"kind: municipal\ntitle: 水道使用開始届\n{head}\nfields:\n{fields}", encoding="utf-8"
    )


FIELD = "  - {field: applicant.name, x: 52, y: 95, w: 143, h: 12, size: 14}\n"


def _problems(pack, name: str) -> list[str]:
    return [f"{p.line}:{p.message}" for p in check_pack(pack) if p.file.endswith(f"{name}.yaml")]


def test_the_shipped_templates_and_blanks_have_no_problems():
    assert check_pack(PACK_DIR) == []


def test_a_malformed_pdf_is_reported_with_its_template(pack):
    (pack / "forms" / "suido_kaishi.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    _municipal(pack, "suido_kaishi", "background: suido_kaishi.pdf", FIELD)
    [problem] = _problems(pack, "suido_kaishi")
    assert "suido_kaishi.pdf" in problem and "PDF として読めません" in problem


def test_a_missing_blank_is_reported(pack):
    _municipal(pack, "suido_kaishi", "background: gone.pdf", FIELD)
    [problem] = _problems(pack, "suido_kaishi")
    assert "gone.pdf" in problem and "開けません" in problem


def test_a_field_off_the_page_is_reported_with_its_line(pack):
    (pack / "forms" / "suido_kaishi.pdf").write_bytes(blank("suido_kaishi"))
    _municipal(pack, "suido_kaishi", "background: suido_kaishi.pdf",
               FIELD + "  - {field: visit.phone, x: 180, y: 107, w: 43, h: 12}\n"
               "  - {field: visit.issued_on, page: 2, x: 52, y: 50, w: 143, h: 12}\n")  # fmt: skip
    problems = _problems(pack, "suido_kaishi")
    assert len(problems) == 2, problems
    assert problems[0].startswith("6:") and "visit.phone" in problems[0]
    assert "210×297mm）の外" in problems[0]
    assert problems[1].startswith("7:") and "2ページ目はありません" in problems[1]


def test_an_unknown_option_is_reported_with_its_line(pack):
    _municipal(pack, "suido_kaishi", "generate: suido_kaishi",
               FIELD + "  - {field: visit.phone, x: 52, y: 107, w: 143, h: 12, align: X}\n")  # fmt: skip
    [problem] = _problems(pack, "suido_kaishi")
    assert problem.startswith("6:") and "align は L・C・R" in problem and "'X'" in problem


def test_an_unknown_key_and_an_unknown_render_are_reported(pack):
    _municipal(pack, "suido_kaishi", "generate: suido_kaishi",
               "  - {field: visit.phone, x: 52, y: 107, w: 143, h: 12, algin: C}\n")  # fmt: skip
    _municipal(pack, "suido_chushi", "generate: suido_kaishi",
               "  - {field: visit.phone, x: 52, y: 107, render: stamp}\n")  # fmt: skip
    assert "algin" in _problems(pack, "suido_kaishi")[0]
    assert "render は" in _problems(pack, "suido_chushi")[0]


def test_a_yaml_error_is_reported_with_its_line(pack):
    (pack / "forms" / "hoiku.yaml").write_text("kind: generic\ntitle: [保育\n", encoding="utf-8")
    [problem] = _problems(pack, "hoiku")
    assert "YAML として読めません（3行目" in problem


def test_an_acroform_name_the_blank_has_twice_or_lacks_is_reported(pack):
    (pack / "forms" / "suido_kaishi.pdf").write_bytes(
        build(
            [
                {"name": "shimei", "rect": (52, 70, 70, 14)},
                {"name": "shimei", "rect": (52, 118, 143, 16)},
            ]
        )  # fmt: skip
    )
    _municipal(pack, "suido_kaishi", "background: suido_kaishi.pdf",
               "  - {acroform: shimei, field: applicant.name}\n"
               "  - {acroform: jusho, field: address.full}\n")  # fmt: skip
    problems = _problems(pack, "suido_kaishi")
    assert len(problems) == 2
    assert problems[0].startswith("5:") and "「shimei」が2つ以上" in problems[0]
    assert problems[1].startswith("6:") and "「jusho」がありません" in problems[1]


def test_the_command_lists_them_and_fails_without_a_traceback(pack):
    _municipal(pack, "suido_kaishi", "background: gone.pdf", FIELD)
    out = StringIO()
    with pytest.raises(CommandError, match="問題が1件"):
        call_command("catalog", "check", str(pack), stdout=out)
    assert "suido_kaishi.yaml" in out.getvalue() and "gone.pdf" in out.getvalue()
    assert "Traceback" not in out.getvalue()


def test_a_broken_template_is_kept_so_the_other_forms_still_print(pack, settings, monkeypatch):
    from printing.templates_loader import load_templates

    _municipal(pack, "suido_kaishi", "background: gone.pdf", FIELD)
    (pack / "forms" / "hoiku.yaml").write_text("kind: generic\ntitle: [保育\n", encoding="utf-8")
    templates = load_templates(pack / "forms")
    assert templates["hoiku"].kind == "broken" and templates["hoiku"].error
    assert templates["kokuho_ido"].kind == "ruled"
