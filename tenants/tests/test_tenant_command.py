"""`madoguchi tenant create/list` and `madoguchi --tenant CODE …`: a municipality made from its
own pack runs on that pack, and a single-city install names no tenant at all."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tenants import scope
from tenants.models import Tenant

OVERLAY = Path(__file__).resolve().parents[2] / "catalogs" / "overlays" / "example-city"


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_single_city_install_has_the_default_tenant_only():
    assert list(Tenant.objects.values_list("code", flat=True)) == [scope.DEFAULT]
    assert not scope.is_set() and scope.current_id() == scope.DEFAULT


@pytest.mark.django_db
def test_a_tenant_made_from_an_overlay_runs_on_it_and_takes_its_city_from_it(settings):
    from catalog.pack import default_pack

    _run("tenant", "create", "sakura", "--pack", str(OVERLAY))
    tenant = Tenant.objects.get(pk="sakura")
    assert (tenant.name, tenant.lg_code, tenant.number) == ("さくら市", "019992", 1)
    listed = _run("tenant", "list").splitlines()
    assert [line.split("\t")[:2] for line in listed] == [
        [scope.DEFAULT, settings.MUNICIPALITY["name"]],
        ["sakura", "さくら市"],
    ]
    default_name = default_pack().name
    with scope.use("sakura"):
        assert scope.municipality()["name"] == "さくら市"
        assert default_pack().name != default_name and "さくら" in default_pack().name
    assert default_pack().name == default_name


@pytest.mark.django_db
def test_a_tenant_needs_a_new_code_a_name_and_a_sound_pack(tmp_path):
    with pytest.raises(CommandError):
        _run("tenant", "create", scope.DEFAULT, "--name", "x")
    with pytest.raises(CommandError):
        _run("tenant", "create", "Bad Code", "--name", "x")
    with pytest.raises(CommandError):
        _run("tenant", "create", "noname")  # no pack, no name
    (tmp_path / "pack.yaml").write_text("name: broken\nbase: nowhere\n", encoding="utf-8")
    with pytest.raises(CommandError):
        _run("tenant", "create", "broken", "--pack", str(tmp_path))
    _run("tenant", "create", "kaku", "--name", "架空町")
    with pytest.raises(CommandError):
        _run("tenant", "create", "kaku", "--name", "架空町")
    assert set(Tenant.objects.values_list("code", flat=True)) == {scope.DEFAULT, "kaku"}


def test_the_console_command_takes_the_tenant_before_the_command(monkeypatch):
    from madoguchi import cli

    seen = {}
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line",
        lambda argv: seen.update(argv=argv, tenant=scope.current_id()),
    )
    token = scope.activate(None)
    try:
        cli.main(["--tenant", "kaku", "handoff"])
    finally:
        scope.reset(token)
    assert seen == {"argv": ["madoguchi", "handoff"], "tenant": "kaku"}
