"""監査ログの閲覧: who looked at, printed or exported a resident's data, when and from where.

For supervisors and administrators only. The screen is itself audited: every page and
every CSV writes an entry naming the filter and the residents it was about, so looking up
who saw a resident is found under that resident too.

It lives in counter because it reads both the log (accounts) and the register (residents),
and accounts imports no app above it.

A move to a 支援措置 household's dwelling (counter.approach) is the administrator's to see: to
anyone else its entry reads as the one it stands for (the address change, the visit started),
without the households and residents it names, and no filter of theirs finds it by them. The
rows, their count and their numbers are then the same as if no protected household lived there.
"""

import csv
import io
from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import access, audit
from accounts.models import AuditEntry
from catalog.forms import WarekiDateField
from counter.approach import APPROACH_KEYS, APPROACHED
from counter.models import Visit
from lib import wareki
from residents.models import Resident
from residents.search import EmptyQuery
from tenants import scope

PAGE_SIZE = 50
RESIDENT_LIMIT = 50  # a name that matches more people must be narrowed down first

# What each action means, for the screen and the CSV; an action not listed shows its id.
ACTION_LABELS = {
    "resident.searched": _l("住民検索"),
    "resident.viewed": _l("住民の表示"),
    "resident.listed": _l("業務一覧での表示"),
    "resident.exported": _l("CSV出力"),
    "visit.household_opened": _l("世帯の読込（来庁）"),
    "card.read": _l("マイナンバーカードの読取"),
    "card.number_kept": _l("個人番号の保管（カードから読取）"),
    "card.holder_found": _l("カードと来庁の方の照合"),
    "visit.printed": _l("申請書の印刷"),
    "packet.viewed": _l("印刷物の再表示"),
    "protected_address.shown": _l("支援措置の住所を表示"),
    "protected_address.refused": _l("支援措置の住所を拒否"),
    APPROACHED: _l("支援措置の世帯の住まいへの異動"),
    "api.task_read": _l("API：業務の取得"),
    "api.tasks_pulled": _l("API：業務一覧の取得"),
    "register.imported": _l("住民記録の取込"),
    "auth.login": _l("ログイン"),
    "auth.logout": _l("ログアウト"),
    "auth.login_failed": _l("ログイン失敗"),
    "auth.unlocked": _l("ログインのロック解除"),
    "account.deactivated": _l("アカウントの停止"),
    "account.reactivated": _l("アカウントの再開"),
    "account.otp_reset": _l("2段階認証のリセット"),
    "audit.viewed": _l("監査ログの閲覧"),
    "audit.exported": _l("監査ログのCSV出力"),
}
ACTION_GROUPS = {
    "look": (
        _l("閲覧・検索（すべて）"),
        [
            "resident.searched",
            "resident.viewed",
            "resident.listed",
            "visit.household_opened",
            "card.read",
            "api.task_read",
            "api.tasks_pulled",
        ],
    ),  # fmt: skip
    "print": (_l("印刷・出力（すべて）"), ["visit.printed", "packet.viewed", "resident.exported"]),
    "address": (
        _l("支援措置の住所（すべて）"),
        ["protected_address.shown", "protected_address.refused", APPROACHED],
    ),
    "auth": (
        _l("ログイン・アカウント（すべて）"),
        [
            "auth.login",
            "auth.logout",
            "auth.login_failed",
            "auth.unlocked",
            "account.deactivated",
            "account.reactivated",
            "account.otp_reset",
        ],
    ),
    "audit": (_l("監査ログの閲覧（すべて）"), ["audit.viewed", "audit.exported"]),
}


def _auditor(request):
    return access.require(request, "audit")


class AuditFilterForm(forms.Form):
    resident = forms.CharField(
        label=_l("住民"),
        required=False,
        max_length=100,
        help_text=_l("宛名番号、氏名、フリガナ（例：000123456、カサイ　タツジ）"),
    )
    resident_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    user = forms.ModelChoiceField(
        label=_l("職員"),
        queryset=get_user_model().objects.none(),
        required=False,
        to_field_name="username",
        empty_label=_l("すべての職員"),
    )
    action = forms.ChoiceField(label=_l("操作"), required=False)
    date_from = WarekiDateField(label=_l("期間（から）"), required=False)
    date_to = WarekiDateField(label=_l("期間（まで）"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = user
        self.fields["user"].queryset = (
            get_user_model()
            # Users are the deployment's: this municipality's staff only (tenants).
            .objects.filter(staff__tenant_id=scope.current_id())
            .select_related("staff")
            .order_by("username")
        )
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.staff.display_name}（{u.username}）"
        )
        self.reveals = access.may_see_protected(user)
        self.fields["action"].choices = [
            ("", _("すべての操作")),
            (_("まとめて"), [(k, label) for k, (label, _a) in ACTION_GROUPS.items()]),
            (
                _("操作ごと"),
                [(k, v) for k, v in ACTION_LABELS.items() if self.reveals or k != APPROACHED],
            ),
        ]
        for name, key in (("resident", "r"), ("user", "u"), ("action", "a"), ("date_from", "f")):
            self.fields[name].widget.attrs["accesskey"] = key
        self.fields["resident"].widget.attrs.update(autofocus=True, autocomplete="off")
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs["placeholder"] = _("例：R8.4.1")

    def clean_resident(self):
        """The residents the text names: a 宛名番号 exactly, else the counter's search."""
        text = self.cleaned_data["resident"].strip()
        if not text:
            return None
        by_number = list(Resident.objects.filter(person_no=text))
        if by_number:
            return by_number
        try:
            hide = not access.may_see_protected(self.viewer)
            found = list(Resident.objects.matching(text, hide_protected=hide)[: RESIDENT_LIMIT + 1])
        except (EmptyQuery, wareki.DateParseError) as e:
            raise forms.ValidationError(str(e)) from e
        if not found:
            raise forms.ValidationError(
                _("「%(text)s」に一致する住民は見つかりませんでした。") % {"text": text}
            )
        if len(found) > RESIDENT_LIMIT:
            raise forms.ValidationError(
                _("該当する住民が %(n)s 人を超えます。生年月日や名を加えて絞り込んでください。")
                % {"n": RESIDENT_LIMIT}
            )
        return found

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("期間の終わりが始まりより前です。"))
        return data

    def resident_ids(self) -> list[int]:
        ids = [r.id for r in self.cleaned_data.get("resident") or []]
        if self.cleaned_data.get("resident_id"):
            ids.append(self.cleaned_data["resident_id"])
        return ids

    def entries(self):
        data = self.cleaned_data
        qs = AuditEntry.objects.select_related("user__staff").order_by("-id")
        if data.get("resident") or data.get("resident_id"):
            qs = qs.about(self.resident_ids())
            if not self.reveals:
                # Its residents are the approach's, which the entry it stands for has none of.
                qs = qs.exclude(action=APPROACHED)
        if data.get("user"):
            qs = qs.filter(user=data["user"])
        action = data.get("action")
        if action in ACTION_GROUPS:
            actions = ACTION_GROUPS[action][1]
            qs = qs.filter(action__in=[a for a in actions if self.reveals or a != APPROACHED])
        elif action:
            qs = qs.filter(action=action)
        if data.get("date_from"):
            qs = qs.filter(at__gte=_day_start(data["date_from"]))
        if data.get("date_to"):
            qs = qs.filter(at__lt=_day_start(data["date_to"] + timedelta(days=1)))
        return qs

    def described(self) -> dict:
        """The filter as it goes into the screen's own audit entry."""
        data = self.cleaned_data
        return {
            k: v
            for k, v in {
                "resident": self.data.get("resident", "").strip(),
                "user": data["user"].username if data.get("user") else "",
                "action": data.get("action") or "",
                "from": data["date_from"].isoformat() if data.get("date_from") else "",
                "to": data["date_to"].isoformat() if data.get("date_to") else "",
            }.items()
            if v
        }


def _day_start(d):
    return timezone.make_aware(datetime.combine(d, time.min))


def _rows(entries, *, reveals: bool):
    """Each entry with its residents (name and 宛名番号) and a readable detail; an approach as
    the entry it stands for unless the viewer may see protected addresses (`reveals`)."""
    wanted = {rid for e in entries for rid in e.resident_ids()}
    people = Resident.objects.only("id", "name", "person_no").in_bulk(list(wanted))
    approaches = [e.visit_id for e in entries if e.action == APPROACHED and reveals]
    visits = Visit.objects.in_bulk(approaches) if approaches else {}
    rows = []
    for e in entries:
        action, residents, detail = e.action, e.resident_ids(), dict(e.detail)
        if action == APPROACHED and not reveals:
            action, residents = detail.get("stands_for", "visit.address_changed"), []
            detail = {k: v for k, v in detail.items() if k not in APPROACH_KEYS}
        detail.pop("resident_ids", None)
        rows.append(
            {
                "e": e,
                "at": timezone.localtime(e.at),
                "action": action,
                "label": ACTION_LABELS.get(action, action),
                "staff": _staff_name(e.user),
                "residents": [(rid, people.get(rid)) for rid in residents],
                "detail": "、".join(f"{k}={_plain(v)}" for k, v in detail.items()),
                # The visit that moves someone to the household's dwelling, to open from here.
                "visit": visits.get(e.visit_id) if e.action == APPROACHED else None,
            }
        )
    return rows


def _staff_name(user):
    if user is None:
        return ""
    staff = getattr(user, "staff", None)
    return staff.display_name if staff else user.username


def _plain(value) -> str:
    if isinstance(value, list):
        return "・".join(str(v) for v in value)
    return str(value)


@login_required
def audit_log(request):
    _auditor(request)
    # Always bound: with no filter at all the screen lists the newest entries.
    form = AuditFilterForm(request.GET, user=request.user)
    page, rows = None, []
    if form.is_valid():
        page = Paginator(form.entries(), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = _rows(list(page.object_list), reveals=form.reveals)
        # The screen's own entry: what was asked, and the residents it was about.
        audit.record(
            request.user,
            "audit.viewed",
            resident_ids=form.resident_ids(),
            request=request,
            page=page.number,
            filter=form.described(),
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "counter/audit_log.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


CSV_HEADER = [
    _l("番号"),
    _l("日時"),
    _l("職員"),
    _l("ユーザー名"),
    _l("操作"),
    _l("操作の種類"),
    _l("住民ID"),
    _l("宛名番号"),
    _l("氏名"),
    _l("来庁ID"),
    _l("アドレス"),
    _l("端末名（端末の申告）"),
    _l("詳細"),
]


def _cell(value) -> str:
    # A cell a spreadsheet would read as a formula (a tried username, a search text) is
    # quoted, so opening the export never runs it.
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
def audit_log_csv(request):
    _auditor(request)
    form = AuditFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return audit_log(request)  # the screen shows what is wrong with the filter
    entries = form.entries()
    audit.record(
        request.user,
        "audit.exported",
        resident_ids=form.resident_ids(),
        request=request,
        rows=entries.count(),
        filter=form.described(),
    )

    def lines():
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow([str(h) for h in CSV_HEADER])
        yield "\ufeff" + _flush(buf)
        chunk = []
        for e in entries.iterator(chunk_size=1000):
            chunk.append(e)
            if len(chunk) == 1000:
                yield _csv_chunk(writer, buf, chunk, reveals=form.reveals)
                chunk = []
        if chunk:
            yield _csv_chunk(writer, buf, chunk, reveals=form.reveals)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    name = f"audit-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _flush(buf) -> str:
    text = buf.getvalue()
    buf.seek(0)
    buf.truncate()
    return text


def _csv_chunk(writer, buf, entries, *, reveals: bool) -> str:
    for r in _rows(entries, reveals=reveals):
        e = r["e"]
        residents = r["residents"]
        writer.writerow(
            [
                _cell(v)
                for v in (
                    e.id,
                    f"{r['at']:%Y-%m-%d %H:%M:%S}",
                    r["staff"],
                    e.user.username if e.user else "",
                    r["label"],
                    r["action"],
                    " ".join(str(rid) for rid, _p in residents),
                    " ".join(p.person_no if p else "" for _rid, p in residents).strip(),
                    "、".join(p.name for _rid, p in residents if p),
                    e.visit_id or "",
                    e.terminal,
                    e.terminal_name,
                    r["detail"],
                )
            ]
        )
    return _flush(buf)
