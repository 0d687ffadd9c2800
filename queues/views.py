import csv
import io
import uuid
from datetime import datetime, timedelta

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import Office
from madoguchi import throttle
from madoguchi.inputs import error_text
from queues import analytics, charts, prepare, services, waiting
from queues.forms import (
    AnalyticsForm,
    BookForm,
    CallTicketForm,
    HoldForm,
    IssueForm,
    OkuyamiForm,
    SlotsForm,
    TransferForm,
)
from queues.models import Counter, Reservation, Slot, Ticket
from queues.purposes import PURPOSES


def _ticket_for_staff(request, pk) -> Ticket:
    return access.get_for_staff(
        request, Ticket.objects.select_related("office", "counter", "department"), pk=pk
    )


# -- public: kiosk, ticket, display, wait page --------------------------------------------


def kiosk(request, office):
    office = get_object_or_404(Office, code=office)
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ticket = services.issue_ticket(
            office=office,
            purpose_code=form.cleaned_data["purpose"],
            token=form.cleaned_data["token"] or None,
            request=request,
        )
        return redirect("queues:ticket_print", token=ticket.token)
    return render(
        request,
        "queues/kiosk.html",
        {"office": office, "purposes": PURPOSES, "token": uuid.uuid4().hex},
    )


def ticket_print(request, token):
    ticket = get_object_or_404(Ticket.objects.select_related("office"), token=token)
    url = request.build_absolute_uri(reverse("queues:wait", kwargs={"token": ticket.token}))
    qr = segno.make(url, error="m").svg_inline(scale=4, border=2)
    return render(
        request,
        "queues/ticket_print.html",
        {"ticket": ticket, "qr": qr, "url": url, "ahead": waiting.position(ticket)},
    )


def wait(request, token):
    ticket = get_object_or_404(Ticket.objects.select_related("office", "counter"), token=token)
    return render(
        request,
        "queues/wait.html",
        {"ticket": ticket, "status": waiting.status(ticket), "beat": settings.MADOGUCHI_LIVE_BEAT},
    )


def wait_status(request, token):
    """The phone page's polling fallback when WebSockets do not get through."""
    status = waiting.status_of_token(token)
    if status is None:
        return JsonResponse({"error": "not_found"}, status=404)
    return JsonResponse(status, json_dumps_params={"ensure_ascii": False})


def display(request, office):
    office = get_object_or_404(Office, code=office)
    today = timezone.localdate()
    counters = list(Counter.objects.filter(office=office, active=True))
    current = {
        t.counter_id: t
        for t in Ticket.objects.filter(
            office=office, day=today, state=Ticket.State.CALLED
        ).select_related("counter")
    }
    recent = (
        Ticket.objects.filter(office=office, day=today, transitions__kind="called")
        .select_related("counter")
        .order_by("-transitions__at")
        .distinct()[:8]
    )
    return render(
        request,
        "queues/display.html",
        {
            "office": office,
            "columns": [(c, current.get(c.pk)) for c in counters],
            "recent": list(dict.fromkeys(recent))[:8],
            "beat": settings.MADOGUCHI_LIVE_BEAT,
        },
    )


def chime(request):
    from lib.chime import chime_wav  # the project's one chime, made by the stdlib

    response = HttpResponse(chime_wav(), content_type="audio/wav")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# -- staff: calling ------------------------------------------------------------------------


@login_required
def staff_screen(request):
    staff = access.require(request, "queue")
    counters = list(
        Counter.objects.filter(office=staff.office, active=True).select_related("department")
    )
    chosen = request.GET.get("counter") or request.session.get("queue_counter")
    counter = next((c for c in counters if str(c.pk) == str(chosen)), None)
    if counter is not None:
        request.session["queue_counter"] = counter.pk
    today = timezone.localdate()
    tickets = Ticket.objects.filter(office=staff.office, day=today).select_related(
        "counter", "department"
    )
    ctx = {
        "counters": counters,
        "counter": counter,
        "current": None,
        "issue_token": uuid.uuid4().hex,
        "purposes": PURPOSES,
        "waiting": tickets.waiting().call_order(),
        "held": tickets.filter(state=Ticket.State.HELD).call_order(),
    }
    if counter is not None:
        ctx["current"] = (
            tickets.filter(state=Ticket.State.CALLED, counter=counter).order_by("-id").first()
        )
        ctx["mine"] = Ticket.objects.for_counter(counter).filter(day=today).count()
        ctx["transfer_form"] = TransferForm(office=staff.office)
    return render(request, "queues/staff.html", ctx)


@login_required
@require_POST
def call_next(request, pk):
    staff = access.require(request, "queue")
    counter = get_object_or_404(Counter, pk=pk, office=staff.office)
    ticket = services.call_next(counter, by=request.user, request=request)
    if ticket is None:
        messages.info(request, _("お待ちの方はいません。"))
    return redirect(reverse("queues:staff") + f"?counter={counter.pk}")


@login_required
@require_POST
def ticket_action(request, pk, action):
    ticket = _ticket_for_staff(request, pk)
    staff = request.user.staff
    counter_id = request.session.get("queue_counter")
    try:
        if action == "recall":
            services.recall(ticket, by=request.user, request=request)
        elif action == "hold":
            form = HoldForm(request.POST)
            if not form.is_valid():
                messages.error(request, error_text(form))
            else:
                reason = form.cleaned_data["reason"]
                services.hold(ticket, by=request.user, reason=reason, request=request)
        elif action == "done":
            services.finish(ticket, by=request.user, request=request)
        elif action == "call":
            form = CallTicketForm(request.POST, office=ticket.office)
            if not form.is_valid():
                messages.error(request, error_text(form))
            else:
                counter = form.cleaned_data["counter"] or get_object_or_404(
                    Counter, pk=counter_id, office=ticket.office
                )
                services.call_ticket(ticket, counter, by=request.user, request=request)
        elif action == "transfer":
            form = TransferForm(request.POST, office=ticket.office)
            if not form.is_valid():
                messages.error(
                    request, " ".join(form.non_field_errors()) or _("転送先を確認してください。")
                )
            else:
                services.transfer(
                    ticket,
                    by=request.user,
                    counter=form.cleaned_data["counter"],
                    department=form.cleaned_data["department"],
                    request=request,
                )
                messages.success(request, _("%(t)s を転送しました。") % {"t": ticket.label})
        elif action == "visit":
            visit = services.start_visit_from_ticket(
                ticket, by=request.user, office=staff.office, request=request
            )
            return redirect("counter:visit", number=visit.number)
        else:
            raise PermissionDenied
    except services.TicketError as e:
        messages.error(request, str(e))
    return redirect(reverse("queues:staff") + (f"?counter={counter_id}" if counter_id else ""))


@login_required
@require_POST
def staff_issue(request):
    staff = access.require(request, "queue")
    form = IssueForm(request.POST)
    if form.is_valid():
        c = form.cleaned_data
        reservation = (
            get_object_or_404(
                Reservation.objects.select_related("slot"), pk=c["reservation"], office=staff.office
            )
            if c["reservation"]
            else None
        )
        ticket = services.issue_ticket(
            office=staff.office,
            purpose_code=services.purpose_of(reservation) if reservation else c["purpose"],
            by=request.user,
            token=c["token"] or None,
            reservation=reservation,
            request=request,
        )
        messages.success(request, _("%(t)s を発券しました。") % {"t": ticket.label})
        return redirect("queues:ticket_print", token=ticket.token)
    return redirect("queues:staff")


# -- reservations ----------------------------------------------------------------------------


def _may_book(request, form) -> bool:
    """One address books a slot once and a few slots an hour: it cannot fill the day's slots.

    Staff at the phone are not limited; the same form sent twice is the same booking, not a new
    one (services.book's token), so it passes.
    """
    c = form.cleaned_data
    if request.user.is_authenticated or Reservation.objects.filter(token=c["token"]).exists():
        return True
    address = throttle.client_ip(request)
    slot = throttle.Window("booking-slot", 1, 86400).hit(f"{address}:{c['slot'].pk}")
    if not slot.allowed:
        form.add_error(
            "slot",
            _(
                "この時間帯は、この端末からすでに予約されています。変更はお電話でお問い合わせください。"
            ),
        )
        return False
    hour = throttle.window("booking").hit(address)
    if not hour.allowed:
        form.add_error(
            None,
            _(
                "この端末からの予約が続いたため、受付を一時的に止めています。"
                "約%(m)s分後にもう一度お試しいただくか、お電話でお問い合わせください。"
            )
            % {"m": hour.minutes},
        )
        return False
    return True


def book(request, office):
    """来庁予約 for residents (and staff at the phone): a slot, a name, a phone number."""
    office = get_object_or_404(Office, code=office)
    form = BookForm(
        request.POST or None,
        office=office,
        purpose=request.GET.get("purpose"),
        initial={"token": uuid.uuid4().hex},
    )
    if request.method == "POST" and form.is_valid() and _may_book(request, form):
        c = form.cleaned_data
        try:
            r = services.book(
                c["slot"],
                name=c["name"],
                name_kana=c["name_kana"],
                phone=c["phone"],
                by=request.user,
                token=c["token"],
                request=request,
            )
        except services.SlotFull as e:
            form.add_error("slot", str(e))
        else:
            return render(request, "queues/booked.html", {"reservation": r})
    return render(
        request, "queues/book.html", {"form": form, "office": office, "title": _("来庁予約")}
    )


def book_okuyami(request, office):
    office = get_object_or_404(Office, code=office)
    form = OkuyamiForm(
        request.POST or None, office=office, purpose="death", initial={"token": uuid.uuid4().hex}
    )
    if request.method == "POST" and form.is_valid() and _may_book(request, form):
        c = form.cleaned_data
        try:
            r = services.book(
                c["slot"],
                name=c["name"],
                name_kana=c["name_kana"],
                phone=c["phone"],
                kind=Reservation.Kind.OKUYAMI,
                details=form.details(),
                by=request.user,
                token=c["token"],
                request=request,
            )
        except services.SlotFull as e:
            form.add_error("slot", str(e))
        else:
            return render(request, "queues/booked.html", {"reservation": r})
    return render(
        request, "queues/book.html", {"form": form, "office": office, "title": _("おくやみ予約")}
    )


@login_required
def reservations(request):
    staff = access.require(request, "queue")
    slots_form = SlotsForm(request.POST or None)
    if request.method == "POST" and slots_form.is_valid():
        c = slots_form.cleaned_data
        tz = timezone.get_current_timezone()
        at = timezone.make_aware(datetime.combine(c["day"], c["first"]), tz)
        last = timezone.make_aware(datetime.combine(c["day"], c["last"]), tz)
        n = 0
        while at <= last:
            _slot, created = Slot.objects.get_or_create(
                office=staff.office,
                purpose=c["purpose"],
                starts_at=at,
                defaults={"minutes": c["minutes"], "capacity": c["capacity"]},
            )
            n += created
            at += timedelta(minutes=c["minutes"])
        messages.success(request, _("予約枠を %(n)s 件作成しました。") % {"n": n})
        return redirect("queues:reservations")
    today = timezone.localdate()
    rows = (
        Reservation.objects.filter(office=staff.office, planned_date__gte=today)
        .exclude(state=Reservation.State.CANCELLED)
        .select_related("slot", "visit")[:200]
    )
    return render(
        request,
        "queues/reservations.html",
        {"rows": rows, "slots_form": slots_form, "office": staff.office},
    )


@login_required
@require_POST
def reservation_prepare(request, pk):
    staff = access.require(request, "queue")
    r = get_object_or_404(Reservation, pk=pk, office=staff.office)
    if r.kind == Reservation.Kind.OKUYAMI:
        r = prepare.prepare_okuyami(r, by=request.user, request=request)
    if r.visit_id:
        return redirect("counter:visit", number=r.visit.number)
    messages.error(request, r.prepare_note or _("この予約は事前準備の対象ではありません。"))
    return redirect("queues:reservations")


@login_required
@require_POST
def reservation_cancel(request, pk):
    staff = access.require(request, "queue")
    r = get_object_or_404(Reservation, pk=pk, office=staff.office)
    services.cancel(r, by=request.user, request=request)
    return redirect("queues:reservations")


# -- analytics ------------------------------------------------------------------------------


def _dashboard(request):
    access.require(request, "analytics")
    form = AnalyticsForm(request.GET or None)
    start, end, office = form.period()
    return form, analytics.dashboard(start=start, end=end, office=office)


@login_required
def dashboard(request):
    form, d = _dashboard(request)
    svg = {
        "per_day": charts.bars([(f"{day:%m/%d}", n) for day, n in d["visits_per_day"]]),
        "per_hour": charts.bars([(f"{h}時", n) for h, n in d["visits_per_hour"]]),
        "wait": charts.bars(
            [(g["label"], g["median"]) for g in d["wait_by_purpose"]], unit=_("分")
        ),
        "service": charts.bars(
            [(g["label"], g["median"]) for g in d["service_by_purpose"]], unit=_("分")
        ),
        "utilisation": charts.bars(
            [(str(u["counter"]), round(u["rate"] * 100)) for u in d["utilisation"]], unit="%"
        ),
    }
    query = request.GET.urlencode()
    return render(
        request, "queues/dashboard.html", {"form": form, "d": d, "svg": svg, "query": query}
    )


@login_required
def dashboard_csv(request):
    _form, d = _dashboard(request)
    buf = io.StringIO()
    csv.writer(buf).writerows(analytics.csv_rows(d))
    response = HttpResponse("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="queue-{d["start"]}-{d["end"]}.csv"'
    return response
