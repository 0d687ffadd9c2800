"""Deleting the newest entries, or the whole log, is found: by the sealed head, by the ids
the writer gives one after another, by the database's own id counter (proof on SQLite, a
notice on PostgreSQL) and, whatever else was changed, by an anchor kept outside."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accounts import audit, sequence, verification
from accounts.chain import head_signature
from accounts.models import AuditEntry, AuditHead, AuditSubject

SQLITE = connection.vendor == "sqlite"


def _write(user, n):
    return [audit.record(user, "resident.viewed", resident_id=500 + i) for i in range(n)]


def _drop_newest(n):
    ids = list(AuditEntry.objects.order_by("-id").values_list("id", flat=True)[:n])
    AuditEntry.objects.filter(pk__in=ids).delete()


def _head():
    return AuditHead.objects.values("last_id", "last_hash", "count", "signature").get(pk=1)


def _anchor(tmp_path, name="anchor.json"):
    path = tmp_path / name
    call_command("audit", "anchor", "--output", str(path))
    return path


@pytest.mark.django_db
def test_ids_follow_one_another_and_the_head_is_sealed(clerk):
    entries = _write(clerk, 4)
    ids = [e.id for e in entries]
    assert ids == list(range(ids[0], ids[0] + 4))
    head = AuditHead.objects.get(pk=1)
    assert head.last_id == ids[-1] and head.signature == head_signature(
        head.last_id, head.last_hash, head.count
    )
    assert audit.verify() == []


@pytest.mark.django_db
def test_a_head_moved_back_to_match_a_truncated_log_without_the_key_is_found(clerk):
    _write(clerk, 5)
    _drop_newest(2)
    last = AuditEntry.objects.order_by("-id").first()
    # What someone with database access does: make the head agree with what is left.
    AuditHead.objects.filter(pk=1).update(last_id=last.id, last_hash=last.hash, count=3)
    problems = audit.verify()
    assert any("ヘッド" in p and "署名" in p for p in problems), problems


@pytest.mark.django_db
def test_a_gap_in_the_middle_names_the_missing_ids(clerk):
    entries = _write(clerk, 5)
    AuditEntry.objects.filter(pk__in=[entries[1].id, entries[2].id]).delete()
    problems = audit.verify()
    assert f"#{entries[1].id}〜#{entries[2].id}" in problems[0] and "削除" in problems[0]


@pytest.mark.django_db
def test_a_deleted_index_row_that_hides_a_look_up_is_found(clerk):
    e = audit.record_many(clerk, "resident.searched", [11, 12, 13], query="たかはし")
    AuditSubject.objects.filter(entry=e, resident_id=12).delete()
    assert not AuditEntry.objects.about(12).exists()
    problems = audit.verify()
    assert len(problems) == 1 and f"#{e.id}" in problems[0] and "索引" in problems[0]


@pytest.mark.django_db
def test_an_old_sealed_head_put_back_over_a_truncated_log(clerk):
    """The head is replayed, not forged: it carries a valid seal from earlier. On SQLite the
    database's counter still shows the ids given out; on PostgreSQL that is only a notice."""
    _write(clerk, 3)
    old_head = _head()
    _write(clerk, 2)
    _drop_newest(2)
    AuditHead.objects.filter(pk=1).update(**old_head)
    result = verification.check()
    missing = f"#{old_head['last_id'] + 1}〜#{old_head['last_id'] + 2}"
    if SQLITE:
        assert any(missing in p for p in result.problems), result.problems
    else:
        assert result.problems == [] and any(missing in n for n in result.notices)


@pytest.mark.skipif(not SQLITE, reason="PostgreSQL's counter is not transactional")
@pytest.mark.django_db
def test_on_sqlite_the_writer_never_reuses_the_ids_of_deleted_newest_entries(clerk):
    _write(clerk, 3)
    old_head = _head()
    _write(clerk, 2)
    _drop_newest(2)
    AuditHead.objects.filter(pk=1).update(**old_head)
    e = audit.record(clerk, "resident.viewed", resident_id=1)
    assert e.id == old_head["last_id"] + 3  # the two deleted ids stay missing for good
    assert any("削除" in p for p in audit.verify())


@pytest.mark.django_db
def test_a_wiped_log(clerk):
    entries = _write(clerk, 3)
    AuditSubject.objects.all().delete()
    AuditEntry.objects.all().delete()
    AuditHead.objects.all().delete()
    result = verification.check()
    if SQLITE:
        span = f"#{entries[0].id}〜#{entries[-1].id}"
        assert any(span in p for p in result.problems), result.problems
    else:
        assert result.problems == [] and result.notices


@pytest.mark.django_db
def test_an_anchor_proves_a_log_wiped_with_its_counters_reset(clerk, tmp_path):
    _write(clerk, 3)
    anchor = _anchor(tmp_path)
    _write(clerk, 2)
    call_command("audit", "verify", "--anchor", str(anchor))
    AuditSubject.objects.all().delete()
    AuditEntry.objects.all().delete()
    AuditHead.objects.all().delete()
    sequence.set_issued(0)  # the database's counter put back too: nothing left to compare
    assert audit.verify() == []  # without the anchor, an empty log looks like a new one
    with pytest.raises(CommandError, match="改ざん"):
        call_command("audit", "verify", "--anchor", str(anchor))
    a = verification.read_anchor(anchor.read_text(encoding="utf-8"), "a.json")
    problems = verification.check([a]).problems
    assert any(f"#{a['last_id']}" in p and "削除" in p for p in problems), problems


@pytest.mark.django_db
def test_an_anchor_proves_a_tail_cut_below_it_even_with_an_old_head_and_counter_put_back(
    clerk, tmp_path
):
    _write(clerk, 2)
    old_head = _head()
    _write(clerk, 3)
    anchor = _anchor(tmp_path)
    _drop_newest(3)
    AuditHead.objects.filter(pk=1).update(**old_head)
    sequence.set_issued(old_head["last_id"])
    assert audit.verify() == []  # the database agrees with itself
    a = verification.read_anchor(anchor.read_text(encoding="utf-8"), "a.json")
    problems = verification.check([a]).problems
    assert any(f"#{a['last_id']}" in p for p in problems)
    assert any(f"{a['count']} 件のうち {a['count'] - 3} 件" in p for p in problems)


@pytest.mark.django_db
def test_an_anchor_holds_the_head_time_and_a_seal_and_an_edited_one_is_refused(
    clerk, tmp_path, capsys
):
    entries = _write(clerk, 2)
    call_command("audit", "anchor")
    a = json.loads(capsys.readouterr().out)
    assert a["last_id"] == entries[-1].id and a["last_hash"] == entries[-1].hash
    assert a["count"] == AuditEntry.objects.count() and a["at"] and a["written_at"]
    assert len(a["signature"]) == 64
    forged = dict(a, count=a["count"] - 1)
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(forged), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--anchor", str(path))
    problems = verification.check([verification.read_anchor(path.read_text(), "f")]).problems
    assert problems and "署名" in problems[0]


@pytest.mark.django_db
def test_an_anchor_made_with_another_key_is_not_proof(clerk, tmp_path, settings):
    _write(clerk, 2)
    anchor = _anchor(tmp_path)
    settings.AUDIT_CHAIN_KEY = "someone else's key"
    a = verification.read_anchor(anchor.read_text(encoding="utf-8"), "a")
    assert any("アンカー" in p and "署名" in p for p in verification.check([a]).problems)


@pytest.mark.django_db
def test_an_unreadable_anchor_file_gets_a_clear_message(clerk, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="読めません"):
        call_command("audit", "verify", "--anchor", str(bad))
    with pytest.raises(CommandError, match="開けません"):
        call_command("audit", "verify", "--anchor", str(tmp_path / "missing.json"))


@pytest.mark.django_db
def test_no_anchor_is_written_for_a_log_that_is_already_broken(clerk, tmp_path):
    entries = _write(clerk, 3)
    AuditEntry.objects.filter(pk=entries[1].id).update(action="x")
    with pytest.raises(CommandError, match="書き出しません"):
        call_command("audit", "anchor", "--output", str(tmp_path / "a.json"))
    assert not (tmp_path / "a.json").exists()


@pytest.mark.django_db
def test_an_anchor_of_an_empty_log_verifies(tmp_path):
    AuditHead.objects.all().delete()
    sequence.set_issued(0)
    anchor = _anchor(tmp_path)
    call_command("audit", "verify", "--anchor", str(anchor))
