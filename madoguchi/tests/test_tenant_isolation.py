"""Two municipalities on one deployment see nothing of each other: for every model and every
URL of the permission matrix, a user of one sees no row, name or address of the other, and
the other's objects are not found (404).

The default tenant (北見市, the personas of conftest) gets the matrix's ordinary worlds at
both offices. Another tenant, 架空町, gets the protected worlds: its residents' names and
addresses (worlds.SECRETS, 秘田) exist nowhere in the default tenant, so finding one in any
response to a default-tenant user — the administrator's included — is a leak.
"""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from madoguchi.tests import worlds
from madoguchi.tests.test_permission_matrix import MATRIX, ROLES, _kwargs, _status, walk
from tenants import scope
from tenants.models import Tenant, TenantManager

OTHER = "kaku"
# What only the other tenant has: its protected households' addresses and its people's names.
OTHER_SECRETS = [*worlds.SECRETS, "秘田", "架空町", f"{OTHER}-"]  # and its staff's logins
# Samples that name an object (a row of some tenant): the other's must not be found.
OBJECT_SAMPLES = {
    "number",
    "household_id",
    "token",
    "task",
    "call",
    "handoff",
    "ticket_token",
    "queue_counter",
    "ticket",
    "reservation",
    "reservation_key",
    "consultation",
    "preentry_token",
    "staff_user",
}
ROOT = Path(__file__).resolve().parents[2]


def _users(prefix=""):
    from django.contrib.auth.models import User

    def u(name):
        return User.objects.get(username=prefix + name)

    return {
        "anon": None,
        "clerk": u("shimin"),
        "department": u("hoken"),
        "branch": u("shisho"),
        "supervisor": u("kanri"),
        "admin": u("admin"),
    }


def _the_rest_of_the_models(users, world):
    """Rows for the models the matrix's worlds leave empty, so every model is tried."""
    from accounts import audit
    from backoffice.api import issue_token
    from backoffice.models import CoreSystem, TaskReceipt
    from counter.models import Answer, Signature, VisitStatusChange
    from queues.models import Slot
    from remote.models import ConsultationEvent

    visit, clerk = world["visit_obj"], users["clerk"]
    Answer.objects.create(visit=visit, fact="kokuho_card", value=True, by=clerk)
    Signature.objects.create(visit=visit, png=b"png", signed_at=timezone.now(), created_by=clerk)
    VisitStatusChange.objects.create(
        visit=visit, from_status="accepted", to_status="draft", reason="再開", by=clerk
    )
    Slot.objects.create(
        office=visit.office, purpose="other", starts_at=timezone.now() + timedelta(days=1)
    )
    system = CoreSystem.objects.first()
    TaskReceipt.objects.create(task=visit.tasks.first(), system=system, reference="R-1")
    ConsultationEvent.objects.create(
        consultation_id=world["consultation"], kind="requested", by=clerk
    )
    audit.record(clerk, "resident_view", resident_id=visit.household.residents.first().pk)
    return issue_token(system)


@pytest.fixture
def two_cities(demo_staff, designer_blank, django_capture_on_commit_callbacks):
    from catalog.pack import default_pack
    from counter.tablet import sign_token
    from demo.staff import ensure_demo_staff

    mine = _users()
    own = [
        worlds.build(mine, office=o, protected=False, capture=django_capture_on_commit_callbacks)
        for o in ("honcho", "tanno")
    ]
    own_token = _the_rest_of_the_models(mine, own[0])
    Tenant.objects.create(code=OTHER, number=1, name="架空町", pref="北海道", lg_code="019992")
    with scope.use(OTHER):
        ensure_demo_staff({code: d.name for code, d in default_pack().departments.items()})
        theirs_users = _users(f"{OTHER}-")
        theirs = [
            worlds.build(
                theirs_users, office=o, protected=True, capture=django_capture_on_commit_callbacks
            )
            for o in ("honcho", "tanno")
        ]
        their_token = _the_rest_of_the_models(theirs_users, theirs[0])
        for world in theirs:
            # Each city numbers its visits from 001: give the other's numbers ours do not have,
            # so that asking for one of them by number names nothing of ours.
            visit = world["visit_obj"]
            visit.number = world["number"] = visit.number[:-3] + "9" + visit.number[-2:]
            visit.save(update_fields=["number"])
            world["token"] = sign_token(visit)
    return {
        "mine": mine,
        "own": own,
        "theirs_users": theirs_users,
        "theirs": theirs,
        "own_token": own_token,
        "their_token": their_token,
    }


@pytest.fixture
def designer_blank(settings, tmp_path):
    from fpdf import FPDF

    blank = FPDF()
    blank.add_page()
    settings.PRINTING_DESIGNER_DIR = str(tmp_path)
    (tmp_path / "kokuho_ido.pdf").write_bytes(bytes(blank.output()))


def _project_models():
    """Every model of the project's own apps (a new app's too), but the tenants themselves."""
    own = {
        a.label
        for a in apps.get_app_configs()
        if Path(a.path).resolve().parent == ROOT and a.label != "tenants"
    }
    return [m for m in apps.get_models() if m._meta.app_label in own]


def test_every_model_of_the_project_carries_a_tenant_and_is_scoped_by_its_default_manager():
    models = _project_models()
    assert len(models) >= 25, [m.__name__ for m in models]
    wrong = [
        m._meta.label
        for m in models
        if "tenant" not in {f.name for f in m._meta.concrete_fields}
        or not isinstance(m._default_manager, TenantManager)
    ]
    assert not wrong, wrong


@pytest.mark.django_db
def test_no_model_shows_a_row_of_the_other_tenant(two_cities):
    empty, leaked, lost = [], [], []
    for model in _project_models():
        theirs = model._base_manager.filter(tenant_id=OTHER)
        mine = model._base_manager.filter(tenant_id=scope.DEFAULT)
        if not theirs.exists():
            empty.append(model._meta.label)  # nothing to leak: the test would prove nothing
        if model.objects.filter(pk__in=theirs.values("pk")).exists():
            leaked.append(model._meta.label)
        if model.objects.count() != mine.count():
            lost.append(model._meta.label)
        with scope.use(OTHER):
            if model.objects.filter(pk__in=mine.values("pk")).exists():
                leaked.append(f"{model._meta.label} (seen from {OTHER})")
            if model.objects.count() != theirs.count():
                lost.append(f"{model._meta.label} (in {OTHER})")
    assert not empty, f"models without a row of the other tenant: {empty}"
    assert not leaked, leaked
    assert not lost, lost


def _clients(users):
    clients = {role: Client(raise_request_exception=False) for role in ROLES}
    for role, user in users.items():
        if user is not None:
            clients[role].force_login(user)
    return clients


def _get(client, method, url):
    return client.post(url) if method == "POST" else client.get(url)


@pytest.mark.django_db
def test_no_url_shows_the_other_tenant_and_its_objects_are_not_found(two_cities):
    mine = two_cities["mine"]
    clients = _clients(mine)
    wrong = []
    for name, pattern in walk():
        row = MATRIX.get(name)
        if row is None:
            continue  # test_permission_matrix reports it
        method, expected = row[0], row[1].split()
        # Our own objects: whatever our roles get, never a word of the other city.
        for samples in two_cities["own"]:
            url = reverse(name, kwargs=_kwargs(pattern, row, samples))
            for role in ROLES:
                response = _get(clients[role], method, url)
                if mine[role] is not None and name == "accounts:logout":
                    clients[role].force_login(mine[role])
                if found := worlds.leaked(worlds.response_text(response), OTHER_SECRETS):
                    wrong.append(f"{name} as {role}: shows {found}")
        # The other city's objects by their ids, numbers and tokens: not found.
        own_kwargs = row[2] if len(row) > 2 else {}
        named = {own_kwargs.get(kw, kw) for kw in pattern.pattern.converters}
        if not named & OBJECT_SAMPLES:
            continue
        for samples in two_cities["theirs"]:
            url = reverse(name, kwargs=_kwargs(pattern, row, samples))
            for role, cell in zip(ROLES, expected, strict=True):
                cache.clear()  # the pre-entry pages lock an address after 10 misses: see each
                response = _get(clients[role], method, url)
                got = _status(response)
                # Refused before any object is looked at (a role or a login): the same refusal.
                allowed = {"404", cell} if cell in ("login", "401", "403") else {"404"}
                if got not in allowed:
                    wrong.append(f"{name} as {role} on {url}: expected 404, got {got}")
                if found := worlds.leaked(worlds.response_text(response), OTHER_SECRETS):
                    wrong.append(f"{name} as {role} on {url}: shows {found}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_an_api_token_sees_only_its_own_tenants_tasks(two_cities):
    api = Client()
    own_tasks = [w["task"] for w in two_cities["own"]]
    their_tasks = [w["task"] for w in two_cities["theirs"]]
    for token, visible, hidden in (
        (two_cities["own_token"], own_tasks, their_tasks),
        (two_cities["their_token"], their_tasks, own_tasks),
    ):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        listed = api.get(reverse("api:tasks") + "?state=all&include_processed=1", **auth)
        assert listed.status_code == 200
        ids = {t["id"] for t in listed.json()["tasks"]}
        assert ids and not ids & set(hidden), ids
        if token == two_cities["own_token"]:
            assert not worlds.leaked(listed.content.decode(), OTHER_SECRETS)
        for pk in hidden:
            assert api.get(reverse("api:task", kwargs={"pk": pk}), **auth).status_code == 404
        for pk in visible:
            assert api.get(reverse("api:task", kwargs={"pk": pk}), **auth).status_code == 200


@pytest.mark.django_db
def test_the_other_tenants_staff_see_their_own_city_and_not_ours(two_cities):
    client = Client()
    client.force_login(two_cities["theirs_users"]["clerk"])
    page = client.get(reverse("counter:home"))
    assert page.status_code == 200
    assert "架空町" in page.content.decode()
    own_visit = two_cities["own"][0]["number"]
    assert client.get(reverse("counter:visit", kwargs={"number": own_visit})).status_code == 404


@pytest.mark.django_db
def test_a_public_page_belongs_to_the_tenant_its_path_or_host_names(two_cities, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "kaku.example.jp"]
    settings.TENANT_HOSTS = {"kaku.example.jp": OTHER}
    theirs = two_cities["theirs"][0]
    wait = reverse("queues:wait", kwargs={"token": theirs["ticket_token"]})
    anon = Client()
    assert anon.get(wait).status_code == 404  # the default tenant has no such ticket
    by_path = anon.get(f"/t/{OTHER}{wait}")
    assert by_path.status_code == 200
    # The page's own links and its websocket stay under the tenant's path.
    assert f"/t/{OTHER}/ws/queue/ticket/" in by_path.content.decode()
    assert anon.get(wait, HTTP_HOST="kaku.example.jp").status_code == 200
    assert anon.get("/t/no-such-city/queue/kiosk/").status_code == 404
    # A staff member of the default tenant on the other's address: not found, not theirs.
    clerk = Client()
    clerk.force_login(two_cities["mine"]["clerk"])
    assert clerk.get(f"/t/{OTHER}/").status_code == 404


@pytest.mark.django_db
def test_each_tenant_has_its_own_audit_chain_and_keys(two_cities):
    from accounts import audit, verification
    from accounts.chain import chain_key
    from accounts.models import AuditEntry, AuditHead
    from residents import mynumber

    assert not audit.verify()
    mine_ids = list(AuditEntry.objects.values_list("id", flat=True))
    with scope.use(OTHER):
        assert not audit.verify()
        theirs = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
        assert theirs[0] == (1 << 40) + 1 and theirs == list(range(theirs[0], theirs[-1] + 1))
        assert AuditHead.objects.get().count == len(theirs)
        other_key = chain_key()
        token = mynumber.encrypt("123456789018")
    assert mine_ids and max(mine_ids) < (1 << 40)
    assert chain_key() != other_key
    with pytest.raises(mynumber.InvalidToken):
        mynumber.decrypt(token)  # the default tenant's key does not open the other's
    # Tampering in one chain is found in that chain, not blamed on the other.
    AuditEntry._base_manager.filter(pk=theirs[1]).update(action="edited")
    assert not verification.check().problems
    with scope.use(OTHER):
        assert verification.check().problems


@pytest.mark.django_db
def test_a_call_display_hears_only_its_own_tenants_office():
    from queues import live

    assert live.display_group("honcho") != live.display_group("honcho", OTHER)
    with scope.use(OTHER):
        assert live.display_group("honcho") == live.display_group("honcho", OTHER)


@pytest.mark.django_db
def test_background_commands_run_once_per_tenant(two_cities):
    from django.core.management import call_command

    from preentry.models import PreEntry

    past = timezone.now() - timedelta(days=1)
    PreEntry._base_manager.update(expires_at=past)
    call_command("preentry_purge")
    assert not PreEntry._base_manager.filter(visit__isnull=True).exists()


@pytest.mark.django_db
def test_a_login_on_the_shared_login_page_is_recorded_in_the_staff_members_own_chain(two_cities):
    from accounts.models import AuditEntry

    user = two_cities["theirs_users"]["clerk"]
    Client().force_login(user)
    assert not AuditEntry.objects.filter(user=user, action="auth.login").exists()
    with scope.use(OTHER):
        assert AuditEntry.objects.filter(user=user, action="auth.login").exists()


@pytest.mark.django_db
def test_one_handoff_run_retries_every_tenants_pushes_each_in_its_own_city(two_cities):
    from django.core.management import call_command

    from backoffice.models import Handoff

    pushes = Handoff._base_manager.filter(kind=Handoff.Kind.PUSH)
    assert set(pushes.values_list("tenant_id", flat=True)) == {scope.DEFAULT, OTHER}
    pushes.update(status=Handoff.Status.FAILED, next_attempt_at=None, attempts=1)
    call_command("handoff", stdout=io.StringIO(), stderr=io.StringIO())
    # Each was tried once more (the core system's address refuses), whichever city it is.
    assert set(pushes.values_list("attempts", flat=True)) == {2}
    # Named (`madoguchi --tenant kaku handoff`): that city's only.
    pushes.update(next_attempt_at=None)
    with scope.use(OTHER):
        call_command("handoff", stdout=io.StringIO(), stderr=io.StringIO())
    assert set(pushes.filter(tenant_id=OTHER).values_list("attempts", flat=True)) == {3}
    assert set(pushes.filter(tenant_id=scope.DEFAULT).values_list("attempts", flat=True)) == {2}
