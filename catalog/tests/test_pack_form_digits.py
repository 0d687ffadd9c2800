"""`madoguchi catalog check` refuses a form's or the pack's digit width it does not know
(printing.templates_loader `digits`, pack.yaml `form_digits`): full or half, nothing else,
with the file and line, before a packet is ever printed. So with the pack's other one-word
settings (`office_holidays`: closed or open)."""

import io
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError


def _pack_copy(tmp_path: Path) -> Path:
    root = tmp_path / "pack"
    shutil.copytree(Path(settings.BASE_DIR) / "catalogs" / "default", root)
    return root


def _check(root: Path) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("catalog", "check", str(root), stdout=out)
    except CommandError as e:
        return out.getvalue(), e
    return out.getvalue(), None


def test_catalog_check_rejects_an_unknown_digits_value_naming_the_form_and_line(tmp_path):
    root = _pack_copy(tmp_path)
    form = root / "forms" / "kokuho_ido.yaml"
    form.write_text(form.read_text(encoding="utf-8") + "digits: wide\n", encoding="utf-8")
    line = len(form.read_text(encoding="utf-8").splitlines())
    out, error = _check(root)
    assert error is not None
    assert f"kokuho_ido.yaml {line}行目" in out
    assert "digits「wide」は使えません" in out and "full" in out and "half" in out


def test_catalog_check_rejects_an_unknown_pack_wide_form_digits(tmp_path):
    root = _pack_copy(tmp_path)
    pack = root / "pack.yaml"
    pack.write_text(pack.read_text(encoding="utf-8").replace("form_digits: full",
                                                             "form_digits: wide"))  # fmt: skip
    out, error = _check(root)
    assert error is not None and "form_digits「wide」は使えません" in out


def test_catalog_check_accepts_the_shipped_pack_and_a_half_width_form(tmp_path):
    root = _pack_copy(tmp_path)
    form = root / "forms" / "kokuho_ido.yaml"
    form.write_text(form.read_text(encoding="utf-8") + "digits: half\n", encoding="utf-8")
    out, error = _check(root)
    assert error is None, out


def test_catalog_check_rejects_an_unknown_office_holidays(tmp_path):
    root = _pack_copy(tmp_path)
    pack = root / "pack.yaml"
    text = pack.read_text(encoding="utf-8").replace(
        "office_holidays: closed", "office_holidays: sundays"
    )
    pack.write_text(text, encoding="utf-8")
    out, error = _check(root)
    assert error is not None and "office_holidays「sundays」は使えません" in out and "open" in out
