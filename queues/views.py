import uuid
from datetime import datetime, timedelta

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import Office
from lib.chime import chime_wav  # the project's one chime, shared with the back office
from madoguchi import throttle
from madoguchi.inputs import error_text
from queues import board, hours, languages, prepare, services, speech, waiting
from queues.forms import (
    BookForm,
    CallTicketForm,
    HoldForm,
    IssueForm,
    OkuyamiForm,
    SlotsForm,
    TransferForm,
)
from queues.models import Counter, Reservation, Slot, Ticket, TicketTransition
from queues.purposes import PURPOSES


def _ticket_for_staff(request, pk) -> Ticket:
    return access.get_for_staff(
        request, Ticket.objects.select_related("office", "counter", "department"), pk=pk
    )


# -- public: kiosk, ticket, display, wait page --------------------------------------------


def kiosk(request, office):
    office = get_object_or_404(Office, code=office)
    lang = languages.chosen(request)
    is_open = hours.is_open()
    form = IssueForm(request.POST or None)
    if request.method == "POST" and is_open and form.is_valid():
        ticket = services.issue_ticket(
            office=office,
            purpose_code=form.cleaned_data["purpose"],
            token=form.cleaned_data["token"] or None,
            request=request,
        )
        return redirect(reverse("queues:ticket_print", args=[ticket.token]) + languages.query(lang))
    office_hours = hours.office_hours()
    with languages.override(lang):
        return render(
            request,
            "queues/kiosk.html",
            {
                "office": office,
                "purposes": PURPOSES,
                "token": uuid.uuid4().hex,
                "open": is_open,
                "hours": office_hours,
                "days": "・".join(str(hours.day_name(d)) for d in office_hours.days),
                "holidays_closed": office_hours.holidays_closed,
                "lang": lang,
                "languages": languages.KIOSK_LANGUAGES,
            },
        )


def public_url(request, path: str) -> str:
    """The address a resident's phone opens: MADOGUCHI_PUBLIC_URL, not the kiosk's own host
    on the office network (which a phone cannot reach)."""
    base = settings.PUBLIC_URL
    return base + path if base else request.build_absolute_uri(path)


def ticket_print(request, token):
    ticket = get_object_or_404(Ticket.objects.select_related("office", "department"), token=token)
    url = public_url(request, reverse("queues:wait", kwargs={"token": ticket.token}))
    qr = segno.make(url, error="m").svg_inline(scale=4, border=2)
    # A ticket issued at the staff screen returns there, not to the public kiosk.
    staff = request.GET.get("from") == "staff" and request.user.is_authenticated
    lang = "ja" if staff else languages.chosen(request)
    back = (
        reverse("queues:staff")
        if staff
        else reverse("queues:kiosk", args=[ticket.office.code]) + languages.query(lang)
    )
    ahead = waiting.position(ticket)
    with languages.override(lang):
        return render(
            request,
            "queues/ticket_print.html",
            {
                "ticket": ticket,
                "qr": qr,
                "url": url,
                "ahead": ahead,
                "minutes": waiting.estimate_minutes(ticket, ahead),
                "back": back,
                "staff": staff,
                "back_label": _("呼出画面に戻る") if staff else _("最初の 画面に 戻る"),
            },
        )


def wait(request, token):
    ticket = (
        Ticket.objects.select_related("office", "counter", "department").filter(token=token).first()
    )
    if ticket is None:
        # A mistyped or old link: a page for the resident, in Japanese, saying what to do.
        return render(request, "queues/wait_missing.html", status=404)
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
    counters = list(Counter.objects.filter(office=office, active=True).select_related("department"))
    current = {
        t.counter_id: t
        for t in Ticket.objects.filter(
            office=office, day=today, state=Ticket.State.CALLED
        ).select_related("counter")
    }
    return render(
        request,
        "queues/display.html",
        {
            "office": office,
            "columns": [(c, current.get(c.pk)) for c in counters],
            "recent": board.recent(office, today),
            "now": timezone.localtime(),
            "beat": settings.MADOGUCHI_LIVE_BEAT,
        },
    )


def announce(request, label, counter):
    """The spoken call (chime, then 「受付番号 A013 番の方、3番窓口へお越しください」) as WAV.
    Only a ticket label and a counter number make a text, so the cache stays small."""
    if not speech.LABEL.fullmatch(label) or not 0 < counter < 100:
        raise Http404(_("この呼出はありません。"))
    try:
        wav = speech.announcement_wav(label, counter)
    except speech.SpeechUnavailable:
        raise Http404(_("音声合成が使えません。")) from None
    response = HttpResponse(wav, content_type="audio/wav")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def chime(request):
    response = HttpResponse(chime_wav(), content_type="audio/wav")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# -- staff: calling ------------------------------------------------------------------------


@login_required
def staff_screen(request):
    staff = access.require(request, "queue_call")
    counters = access.queue_counters(
        staff, Counter.objects.filter(office=staff.office, active=True).select_related("department")
    )
    chosen = request.GET.get("counter") or request.session.get("queue_counter")
    counter = next((c for c in counters if str(c.pk) == str(chosen)), None)
    if counter is not None:
        request.session["queue_counter"] = counter.pk
    now = timezone.now()
    today = timezone.localdate(now)
    tickets = Ticket.objects.filter(office=staff.office, day=today).select_related(
        "counter", "department", "reservation__slot"
    )
    tickets = access.tickets_for_queue(staff, tickets)
    held = list(tickets.filter(state=Ticket.State.HELD).call_order())
    reasons = dict(
        TicketTransition.objects.filter(ticket__in=held, kind=TicketTransition.Kind.HELD)
        .order_by("at", "id")
        .values_list("ticket_id", "detail__reason")
    )  # the latest hold's reason wins: ordered by time, later rows overwrite
    for t in held:
        t.hold_reason = reasons.get(t.pk) or ""
    ctx = {
        "counters": counters,
        "counter": counter,
        "current": None,
        "may_issue": access.may_use(staff, "queue"),
        "issue_token": uuid.uuid4().hex,
        "purposes": PURPOSES,
        "waiting": tickets.waiting().in_call_order(now),
        "held": held,
        "no_show": tickets.filter(state=Ticket.State.NO_SHOW).call_order(),
        "hold_form": HoldForm(),
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
    staff = access.require(request, "queue_call")
    counter = get_object_or_404(Counter, pk=pk, office=staff.office)
    access.check(staff, counter)
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
        elif action == "noshow":
            services.no_show(ticket, by=request.user, request=request)
        elif action == "call":
            form = CallTicketForm(request.POST, office=ticket.office)
            if not form.is_valid():
                messages.error(request, error_text(form))
            else:
                counter = form.cleaned_data["counter"] or get_object_or_404(
                    Counter, pk=counter_id, office=ticket.office
                )
                access.check(staff, counter)
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
        return redirect(reverse("queues:ticket_print", args=[ticket.token]) + "?from=staff")
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


def _booked(request, r):
    link = public_url(request, reverse("queues:my_reservation", args=[r.public_key]))
    return render(request, "queues/booked.html", {"reservation": r, "link": link})


def my_reservation(request, key):
    """The resident's own page of a booking (the link shown when it was made): the number,
    the time, and a button that cancels it."""
    r = Reservation.objects.select_related("slot", "office").filter(public_key=key).first()
    if r is None:
        return render(request, "queues/reservation_missing.html", status=404)
    if request.method == "POST" and r.state in (
        Reservation.State.BOOKED,
        Reservation.State.PREPARED,
    ):
        r = services.cancel(r, by=None, request=request)
        messages.success(request, _("予約を取り消しました。"))
        return redirect("queues:my_reservation", key=key)
    return render(request, "queues/my_reservation.html", {"reservation": r})


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
            return _booked(request, r)
    return render(
        request,
        "queues/book.html",
        {"form": form, "office": office, "title": _("来庁予約"), "okuyami_link": True},
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
            return _booked(request, r)
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
    upcoming = Reservation.objects.filter(office=staff.office, planned_date__gte=today)
    rows = upcoming.exclude(state=Reservation.State.CANCELLED).select_related("slot", "visit")
    cancelled = upcoming.filter(state=Reservation.State.CANCELLED).select_related("slot")
    return render(
        request,
        "queues/reservations.html",
        {
            "rows": rows[:200],
            "cancelled": cancelled[:200],
            "slots_form": slots_form,
            "office": staff.office,
        },
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
def reservation_cancel(request, pk):
    """GET asks the clerk to confirm (who, when); POST cancels."""
    staff = access.require(request, "queue")
    r = get_object_or_404(Reservation.objects.select_related("slot"), pk=pk, office=staff.office)
    if request.method != "POST":
        return render(request, "queues/reservation_cancel.html", {"r": r})
    services.cancel(r, by=request.user, request=request)
    messages.success(request, _("%(n)s の予約を取り消しました。") % {"n": r.number})
    return redirect("queues:reservations")
