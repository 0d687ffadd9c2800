"""`madoguchi catalog check` for the form templates: every template and blank opened before a
packet needs them, so a broken file is a line of the check, never a traceback at print time.

Reported, each with its file (and line where the YAML gives one): a template that does not
parse or uses an option wrongly (`align: X`, an unknown key, a date_parts box without its
boxes…), a blank PDF missing or unreadable, a box off its page or on a page the blank lacks,
an AcroForm name the blank lacks or has twice, and anything else that stops a trial print of
a municipal form with the sample household.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from django.conf import settings

from catalog.pack import PackProblem, register_file_check

from .templates_loader import SHIPPED, TemplateError, forms_dir, pack_forms_dir, read_template


def folders_for(root: Path) -> list[Path]:
    """The folders load_templates reads for the pack at `root`: the shipped templates, the
    pack's own, and (for the pack the counter runs on) the ones saved with the designer."""
    out = [SHIPPED, pack_forms_dir(root)]
    running = Path(settings.CATALOG_DIR).resolve() == root.resolve()
    if running:
        out.append(forms_dir())
    return [d for d in dict.fromkeys(out) if d.is_dir()]


def _box_lines(f: Path) -> dict[int, int]:
    """fields[i] (1-based) → its line in the file, for the problem's place."""
    try:
        node = yaml.compose(f.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    for key, value in node.value:
        if key.value == "fields" and isinstance(value, yaml.SequenceNode):
            return {i: item.start_mark.line + 1 for i, item in enumerate(value.value, 1)}
    return {}


def _line(message: str, lines: dict[int, int]) -> int:
    for i, line in lines.items():
        if f"fields[{i}]" in message:
            return line
    return 0


def check_template_file(f: Path) -> list[PackProblem]:
    from .layouts.acroform import AcroFormError, find
    from .layouts.municipal import background_bytes, off_page, page_sizes

    def problem(message: str, line: int = 0) -> PackProblem:
        return PackProblem(str(f), line, message.removeprefix(f"{f}: ").removeprefix(f"{f} "))

    t = read_template(f)
    lines = _box_lines(f)
    if t.error:
        return [problem(t.error, _line(t.error, lines))]
    out = []
    if t.kind == "municipal":
        try:
            bg = background_bytes(t)
            sizes = page_sizes(bg)
        except TemplateError as e:
            return [problem(str(e))]
        for i, message in off_page(t, sizes):
            out.append(problem(f"fields[{i}] {message}", lines.get(i, 0)))
        for i, b in enumerate(t.boxes, 1):
            if b.acroform:
                try:
                    find(bg, b.acroform)
                except AcroFormError as e:
                    out.append(problem(f"fields[{i}] {e}", lines.get(i, 0)))
        if not out:
            out += _trial_print(t, problem)
    return out


def _trial_print(t, problem) -> list[PackProblem]:
    """The form printed once with the sample household, as a packet would print it: for the
    municipal forms, whose blanks are the municipality's files (the shipped generic layouts are
    printed by the snapshot tests)."""
    from .fonts import MissingGlyphError
    from .pdf import render_single_form
    from .samples import family_of_four

    try:
        render_single_form(family_of_four(), t)
    except (TemplateError, MissingGlyphError) as e:
        return [problem(f"見本世帯で印刷できません：{e}")]
    except Exception as e:  # noqa: BLE001 — whatever stops it, the author hears it here
        return [problem(f"見本世帯で印刷できません（{type(e).__name__}: {e}）")]
    return []


def check_forms(root: Path) -> list[PackProblem]:
    problems = []
    for folder in folders_for(root):
        for f in sorted(folder.glob("*.yaml")):
            problems += check_template_file(f)
    return problems


register_file_check(check_forms)
