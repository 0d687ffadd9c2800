"""Checking the audit log (`madoguchi audit verify`) and sealing its state in an anchor
(`madoguchi audit anchor`) that an operator keeps outside the database.

What the database alone proves (docs/operations.md, 監査ログ):
- an edited entry: its HMAC no longer matches (no one without the audit key can recompute it);
- a deleted entry in the middle: its id is missing and the next entry's link is broken;
- deleted newest entries: the head (sealed with the key) names an entry that is not there;
  moving the head back to match needs the key;
- a deleted look-up in the audit screen's index (AuditSubject): it no longer matches the entry;
- on SQLite, also deleted newest entries *with* an old sealed head put back, and a wiped log:
  sqlite_sequence still counts the ids given out (unless it was edited too).
What only an anchor proves: that nothing written before the anchor was removed, whatever was
done to the head, the counters or the whole table (a wiped log, a replayed head on PostgreSQL).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import sequence
from accounts.chain import anchor_signature, same
from accounts.models import AuditEntry, AuditHead, AuditSubject

ANCHOR_FORMAT = "madoguchi-audit-anchor/1"
CHUNK = 2000


@dataclass
class Verification:
    problems: list[str] = field(default_factory=list)  # tampering found: verify fails
    notices: list[str] = field(default_factory=list)  # worth a look, not a proof
    count: int = 0
    last_id: int = 0


class AnchorError(ValueError):
    """An anchor file that cannot be read; str() is the message for the operator."""


def check(anchors: list[dict] | tuple = ()) -> Verification:
    v = Verification()
    _walk(v)
    _check_head(v)
    _check_counter(v)
    for a in anchors:
        _check_anchor(v, a)
    return v


def _walk(v: Verification) -> None:
    # The current tenant's chain (the manager scopes every query here), from its range's start.
    prev_hash, prev_id = "", sequence.id_base()
    while True:
        chunk = list(AuditEntry.objects.filter(id__gt=prev_id).order_by("id")[:CHUNK])
        if not chunk:
            break
        subjects = defaultdict(set)
        for entry_id, rid in AuditSubject.objects.filter(
            entry_id__gte=chunk[0].id, entry_id__lte=chunk[-1].id
        ).values_list("entry_id", "resident_id"):
            subjects[entry_id].add(rid)
        for e in chunk:
            if e.id != prev_id + 1:
                v.problems.append(
                    _("#%(a)s〜#%(b)s: 記録が削除されています（番号が欠けています）。")
                    % {"a": prev_id + 1, "b": e.id - 1}
                )
            elif e.prev_hash != prev_hash:
                v.problems.append(
                    _("#%(id)s: 直前の記録が削除または改ざんされています。") % {"id": e.id}
                )
            if e.compute_hash() != e.hash:
                v.problems.append(
                    _("#%(id)s: 記録の内容が改ざんされています（%(action)s）。")
                    % {"id": e.id, "action": e.action}
                )
            elif set(e.resident_ids()) != subjects.get(e.id, set()):
                v.problems.append(
                    _(
                        "#%(id)s: 住民ごとの索引が記録と一致しません（閲覧記録の検索から消されています）。"
                    )
                    % {"id": e.id}
                )
            prev_hash, prev_id = e.hash, e.id
            v.count += 1
    v.last_id = prev_id


def _check_head(v: Verification) -> None:
    head = AuditHead.objects.filter(pk=sequence.head_id()).first()
    if head is None:
        if v.count:
            v.problems.append(_("監査ログの末尾の記録（ヘッド）が削除されています。"))
        return
    if not head.is_signed():
        v.problems.append(
            _("末尾の記録（ヘッド）の署名が正しくありません。鍵を使わずに書き換えられています。")
            if head.signature
            else _("末尾の記録（ヘッド）に署名がありません。")
        )
    if head.last_id != v.last_id or head.count != v.count:
        v.problems.append(
            _("末尾の記録が削除されています（記録 %(want)s 件のうち %(have)s 件）。")
            % {"want": head.count, "have": v.count}
        )
    elif v.count:
        last_hash = AuditEntry.objects.filter(id=v.last_id).values_list("hash", flat=True).first()
        if head.last_hash != last_hash:
            v.problems.append(_("末尾の記録（ヘッド）が最新の記録と一致しません。"))


def _check_counter(v: Verification) -> None:
    """The database's own id counter against the newest entry (accounts.sequence)."""
    issued = sequence.issued_here()
    if issued is None or issued == v.last_id:
        return
    strict = connection.vendor == "sqlite"
    if issued > v.last_id:
        message = _(
            "#%(a)s〜#%(b)s: 番号は採番済みですが記録がありません（末尾の記録が削除されています）。"
        ) % {"a": v.last_id + 1, "b": issued}
        if not strict:
            message = _(
                "#%(a)s〜#%(b)s: 番号は採番済みですが記録がありません。末尾の記録の削除か、"
                "取り消された（ロールバックされた）書き込みです。アンカーで確かめてください。"
            ) % {"a": v.last_id + 1, "b": issued}
    else:
        message = _(
            "データベースの採番（%(issued)s）が最新の記録 #%(id)s より前に戻されています。"
        ) % {"issued": issued, "id": v.last_id}
    (v.problems if strict else v.notices).append(message)


# --- anchors ---------------------------------------------------------------------------


def make_anchor() -> dict:
    """The current head as an anchor: the newest entry's id, hash and time, the count."""
    head = AuditHead.objects.filter(pk=sequence.head_id()).first()
    last_id, last_hash, count, at = 0, "", 0, ""
    if head is not None and head.count:
        last_id, last_hash, count = head.last_id, head.last_hash, head.count
        entry_at = AuditEntry.objects.filter(id=last_id).values_list("at", flat=True).first()
        at = _iso(entry_at) if entry_at else ""
    written_at = _iso(timezone.now())
    return {
        "format": ANCHOR_FORMAT,
        "last_id": last_id,
        "last_hash": last_hash,
        "count": count,
        "at": at,
        "written_at": written_at,
        "signature": anchor_signature(last_id, last_hash, count, at, written_at),
    }


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat(timespec="microseconds")


def read_anchor(text: str, source: str = "") -> dict:
    try:
        a = json.loads(text)
        if a.get("format") != ANCHOR_FORMAT:
            raise ValueError
        a["last_id"], a["count"] = int(a["last_id"]), int(a["count"])
        for k in ("last_hash", "at", "written_at", "signature"):
            if not isinstance(a[k], str):
                raise ValueError
    except (ValueError, TypeError, KeyError, AttributeError) as e:
        raise AnchorError(
            _(
                "アンカー %(source)s を読めません（madoguchi audit anchor が書いた JSON ではありません）。"
            )
            % {"source": source}
        ) from e
    a["source"] = source
    return a


def _check_anchor(v: Verification, a: dict) -> None:
    name = {"source": a.get("source", ""), "id": a["last_id"], "at": a["at"]}
    expected = anchor_signature(a["last_id"], a["last_hash"], a["count"], a["at"], a["written_at"])
    if not same(a["signature"], expected):
        v.problems.append(
            _(
                "アンカー %(source)s の署名が正しくありません（書き換えられたか、別の鍵で作られています）。"
            )
            % name
        )
        return
    if not a["last_id"]:
        return  # anchored while the log was empty: it proves nothing was there
    entry = AuditEntry.objects.filter(id=a["last_id"]).first()
    if entry is None:
        v.problems.append(
            _(
                "アンカー %(source)s の記録 #%(id)s（%(at)s）がありません。それまでの記録が削除されています。"
            )
            % name
        )
    elif entry.hash != a["last_hash"]:
        v.problems.append(
            _("アンカー %(source)s の記録 #%(id)s がアンカーの時点と異なります。") % name
        )
    have = AuditEntry.objects.filter(id__lte=a["last_id"]).count()
    if have != a["count"]:
        v.problems.append(
            _("アンカー %(source)s の時点の記録 %(want)s 件のうち %(have)s 件しかありません。")
            % {**name, "want": a["count"], "have": have}
        )
