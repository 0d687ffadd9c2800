"""In Chromium: an administrator uploads a blank, clicks a field onto it, previews and saves."""

import base64
import io
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from demo.staff import DEMO_PASSWORD
from printing.blanks import blank
from printing.pdf import render_single_form
from printing.samples import family_of_four
from printing.templates_loader import load_templates
from printing.tests import raster


@pytest.fixture
def admin_page(page, admin, settings, tmp_path):
    settings.PRINTING_FORMS_DIR = str(tmp_path / "forms")
    settings.PRINTING_DESIGNER_DIR = str(tmp_path / "designer")
    page.goto("/accounts/login/")
    page.fill("#id_username", admin.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_admin_places_a_field_previews_it_with_the_demo_household_and_saves(
    admin_page, tmp_path
):
    page = admin_page
    page.goto(reverse("counter:designer"))
    page.fill("input[name=form_id]", "suido_test")
    page.set_input_files("input[name=pdf]", files=[{
        "name": "blank.pdf", "mimeType": "application/pdf", "buffer": blank("suido_kaishi")}])  # fmt: skip
    page.click("#designer-upload button[type=submit]")
    page.wait_for_url("**/designer/suido_test/")
    # Not wait_for_function: it eval()s in the page, which the Content-Security-Policy forbids.
    expect(page.locator("#page")).to_have_js_property("complete", True)
    assert page.evaluate("() => document.getElementById('page').naturalWidth") > 0

    page.select_option("#field", "applicant.name")
    img = page.locator("#page").bounding_box()
    # 使用者氏名's value box on the blank starts at x 52 mm, y 95 mm (72 dpi: 1 px = 1 pt).
    k = 72 / 25.4
    page.mouse.click(img["x"] + 53 * k, img["y"] + 96 * k)
    row = page.locator("#placed tbody tr[data-field='applicant.name']")
    assert row.count() == 1
    assert abs(float(row.locator("input[name=x]").input_value()) - 53) < 1
    row.locator("input[name=h]").fill("11")  # adjust: the box's height
    row.locator("input[name=h]").dispatch_event("change")

    page.click("#preview")
    page.wait_for_selector("#preview-img[data-loaded='1']")
    # Read the shown image back through a canvas (the Content-Security-Policy lets a page fetch
    # nothing but its own server, not even its own blob: URLs).
    data_url = page.evaluate("""() => {
        const img = document.getElementById('preview-img');
        const c = document.createElement('canvas');
        c.width = img.naturalWidth; c.height = img.naturalHeight;
        c.getContext('2d').drawImage(img, 0, 0);
        return c.toDataURL('image/png');
    }""")
    png = base64.b64decode(data_url.split(",", 1)[1])
    preview = Image.open(io.BytesIO(png)).convert("L")
    crop = preview.crop((round(54 * k), round(96 * k), round(100 * k), round(106 * k)))
    assert sum(crop.point(lambda v: 255 if v < 128 else 0).histogram()[255:]) > 30  # the name

    page.click("#save")
    expect(page.locator("#designer-status")).to_contain_text("保存しました")
    saved = yaml.safe_load((tmp_path / "forms" / "suido_test.yaml").read_text(encoding="utf-8"))
    assert saved["kind"] == "municipal" and saved["background"] == "suido_test.pdf"
    assert saved["fields"][0]["field"] == "applicant.name" and saved["fields"][0]["h"] == 11
    assert (tmp_path / "forms" / "suido_test.pdf").read_bytes().startswith(b"%PDF")
    # What was saved prints like any template of the pack.
    t = load_templates(tmp_path / "forms")["suido_test"]
    assert "葛󠄀西\u3000辰治" in raster.page_texts(render_single_form(family_of_four(), t))[0]


@pytest.mark.django_db
def test_a_clerk_may_not_open_the_designer(clerk_client):
    assert clerk_client.get(reverse("counter:designer")).status_code == 403


@pytest.mark.django_db
def test_saving_never_replaces_a_pack_template_unasked_nor_saves_an_empty_map(
    client, admin, settings, tmp_path
):
    settings.PRINTING_FORMS_DIR = str(tmp_path / "forms")
    settings.PRINTING_DESIGNER_DIR = str(tmp_path / "designer")
    (tmp_path / "forms").mkdir()
    (tmp_path / "designer").mkdir()
    (tmp_path / "designer" / "kokuho_ido.pdf").write_bytes(blank("suido_kaishi"))
    (tmp_path / "forms" / "kokuho_ido.yaml").write_text("kind: generic\n", encoding="utf-8")
    client.force_login(admin)
    url = reverse("counter:designer_save", args=["kokuho_ido"])
    assert client.post(url).status_code == 400  # nothing placed
    fields = '[{"field": "applicant.name", "x": 50, "y": 90, "w": 80, "h": 10}]'
    assert client.post(url, {"fields": fields}).status_code == 409
    assert (tmp_path / "forms" / "kokuho_ido.yaml").read_text(encoding="utf-8") == "kind: generic\n"
    assert client.post(url, {"fields": fields, "replace": "1"}).status_code == 200
    assert "applicant.name" in (tmp_path / "forms" / "kokuho_ido.yaml").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_the_designer_keeps_its_files_under_the_data_directory_and_they_print(
    client, admin, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    settings.PRINTING_DESIGNER_DIR = str(tmp_path / "designer")
    settings.PRINTING_FORMS_DIR = str(tmp_path / "forms")
    client.force_login(admin)
    client.post(reverse("counter:designer"), {"form_id": "suido_local",
                "pdf": SimpleUploadedFile("b.pdf", blank("suido_kaishi"))})  # fmt: skip
    fields = '[{"field": "applicant.name", "x": 50, "y": 90, "w": 80, "h": 10}]'
    url = reverse("counter:designer_save", args=["suido_local"])
    assert client.post(url, {"fields": fields}).status_code == 200
    assert sorted(p.name for p in (tmp_path / "forms").iterdir()) == [
        "suido_local.pdf",
        "suido_local.yaml",
    ]
    assert (tmp_path / "designer" / "suido_local.pdf").is_file()
    assert load_templates()["suido_local"].path == tmp_path / "forms" / "suido_local.yaml"
    from printing.templates_loader import SHIPPED

    assert not (SHIPPED / "suido_local.yaml").exists()


def test_the_designers_settings_point_under_the_data_directory():
    from django.conf import settings

    assert Path(settings.PRINTING_DESIGNER_DIR).is_relative_to(settings.VAR_DIR)
    assert Path(settings.PRINTING_FORMS_DIR).is_relative_to(settings.VAR_DIR)


def test_a_designer_template_left_in_the_source_tree_is_named_at_start_up(tmp_path, settings):
    from printing import checks

    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "old.yaml").write_text(
        "# 旧様式: placed with the field designer. Positions in mm from the top-left.\n"
        "kind: municipal\n",
        encoding="utf-8",
    )
    (tmp_path / "forms" / "pack.yaml").write_text("kind: generic\n", encoding="utf-8")
    settings.CATALOG_DIR = tmp_path  # a pack whose forms/ holds one the designer saved
    warnings = checks.designer_files_live_in_the_data_directory(None)
    assert (
        len(warnings) == 1 and "old.yaml" in warnings[0].msg and "pack.yaml" not in warnings[0].msg
    )
    assert warnings[0].id == "madoguchi.W010"
