"""Every form of the pack has a template, and every box of every template is in the data dictionary."""

from pathlib import Path

import pytest

from catalog.pack import default_pack
from printing import dictionary as dd
from printing.templates_loader import TemplateError, load_templates, parse_template

FORMS = Path(__file__).resolve().parents[2] / "catalogs" / "default" / "forms"


def _pack_forms() -> set[str]:
    pack = default_pack()
    return {v.form for p in pack.procedures.values() if p.kind == "form" for v in p.variants}


def test_every_form_procedure_of_the_pack_has_a_template():
    templates = load_templates(FORMS)
    missing = sorted(_pack_forms() - set(templates))
    assert not missing, f"forms without a template in catalogs/default/forms/: {missing}"


def test_every_template_is_for_a_form_the_pack_prints():
    assert set(load_templates(FORMS)) <= _pack_forms()


def test_every_box_is_bound_to_a_field_of_the_data_dictionary():
    for t in load_templates(FORMS).values():
        for fid in t.bound_fields():
            assert fid in dd.fields(), (t.id, fid)


def test_the_idou_todoke_keeps_its_dedicated_layout_and_one_form_is_municipal():
    templates = load_templates(FORMS)
    assert templates["jumin_ido"].kind == "dedicated"
    municipal = [t for t in templates.values() if t.kind == "municipal"]
    assert municipal and all(t.generate for t in municipal)
    # No PDF of unknown origin in the pack: municipal blanks are drawn by printing.blanks.
    assert not list(FORMS.glob("*.pdf"))


def test_a_template_naming_an_unknown_field_is_refused_with_its_file():
    with pytest.raises(TemplateError, match="no_such.field"):
        parse_template("x", {"kind": "generic", "sections": [
            {"type": "fields", "fields": [{"field": "no_such.field"}]}]}, Path("x.yaml"))  # fmt: skip


def test_a_municipal_template_needs_a_background():
    with pytest.raises(TemplateError, match="background"):
        parse_template("x", {"kind": "municipal", "fields": []})


def test_a_packs_own_forms_folder_replaces_the_shipped_template_of_the_same_name(
    settings, tmp_path
):
    (tmp_path / "hoiku.yaml").write_text(
        "kind: generic\ntitle: 保育所入所申込書（市の様式）\nsections: [applicant, signature]\n",
        encoding="utf-8",
    )
    settings.PRINTING_FORMS_DIR = str(tmp_path)
    templates = load_templates()
    assert templates["hoiku"].title == "保育所入所申込書（市の様式）"
    assert templates["kokuho_ido"].kind == "ruled"  # the rest still come from the pack
