"""`madoguchi packet SCENARIO.yaml -o out.pdf` (FORMAT.md): no database, exit 0; bad input exits 2."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from printing.pdf import page_count

from . import raster

SCENARIOS = Path(settings.BASE_DIR).parent / "shared" / "scenarios"
FAMILY = SCENARIOS / "tennyu-family-of-four.yaml"


def test_it_writes_the_family_packet_from_the_scenario(tmp_path):
    out = tmp_path / "packet.pdf"
    call_command("packet", str(FAMILY), "-o", str(out), stdout=open(tmp_path / "log", "w"))
    pdf = out.read_bytes()
    texts = raster.page_texts(pdf)
    assert "受付案内票" in texts[0] and "プレビュー" in texts[0]
    assert any("届出年月日" in t for t in texts)  # the 住民異動届
    assert "葛󠄀西\u3000𠮷乃" in "\n".join(texts)
    # The navigator's eleven procedures hold nine forms besides the 転入届: a page each.
    assert sum("提出先：" in t for t in texts) == 9
    assert page_count(pdf) == len(texts)


@pytest.mark.parametrize("scenario", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shared_scenario_prints(scenario, tmp_path):
    out = tmp_path / "p.pdf"
    call_command("packet", str(scenario), "-o", str(out), stdout=open(tmp_path / "log", "w"))
    assert out.read_bytes().startswith(b"%PDF") and page_count(out.read_bytes()) >= 1


def _console(*args):
    return subprocess.run(
        [sys.executable, "-m", "madoguchi", "packet", *args],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_console_command_exits_0_and_says_what_it_wrote(tmp_path):
    out = tmp_path / "family.pdf"
    run = _console(str(FAMILY), "-o", str(out))
    assert run.returncode == 0, run.stderr
    assert str(out) in run.stdout and "ページ" in run.stdout
    assert out.read_bytes().startswith(b"%PDF")


def test_a_bad_scenario_exits_2_with_the_problem_and_its_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: bad\nevent: tennyu\ndate: 2026-13-01\npeople:\n  - id: a\n    applicant: true\n",
        encoding="utf-8",
    )
    run = _console(str(bad), "-o", str(tmp_path / "x.pdf"))
    assert run.returncode == 2
    assert "3行目" in run.stderr and "13月" in run.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_the_family_packet_leaves_only_signatures_and_unasked_cells_to_write():
    from catalog.navigator import navigate
    from catalog.pack import default_pack
    from catalog.scenario import load_scenario
    from printing.management.commands.packet import packet_from_scenario
    from printing.pdf import render_packet_with_fills

    pack = default_pack()
    sc = load_scenario(str(FAMILY), pack)
    _pdf, fills = render_packet_with_fills(packet_from_scenario(sc, navigate(pack, sc.case), pack))
    assert fills and all(f.signatures >= 1 for f in fills)
    # Only the ruled forms' cells that the interview does not ask (口座, the dog…) are owed.
    from printing.templates_loader import load_templates

    kinds = {k: t.kind for k, t in load_templates().items()}
    assert [f for f in fills if f.to_write and kinds.get(f.form) != "ruled"] == []
