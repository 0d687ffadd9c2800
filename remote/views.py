from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from accounts import access, audit
from accounts.models import Office
from catalog.pack import default_pack
from counter.interview import live_context, posted_answer, posted_withdrawal
from counter.models import Visit
from madoguchi.inputs import BadInput, error_fragment
from remote import services
from remote.forms import DeclineForm, RequestForm
from remote.models import Consultation


def _get_consultation_for_party(request, pk) -> tuple[Consultation, str]:
    """A room is its two parties' (accounts.access), and open while the consultation is live.

    The specialist reaches the visit through the admitted consultation, not through an office.
    """
    c = access.get_for_staff(
        request, Consultation.objects.select_related("visit__office", "department"), pk=pk
    )
    role = c.role_of(request.user)
    if role is None:
        raise PermissionDenied(_("この相談はまだ受け入れられていないか、終了しています。"))
    return c, role


def _lobby_department(request):
    return access.require(request, "lobby").department


def _visit(request, number) -> Visit:
    return access.get_for_staff(request, Visit.objects.select_related("office"), number=number)


# -- the branch counter -------------------------------------------------------------------


@login_required
def visit_panel(request, number):
    """The remote block on the counter's visit page (loaded by htmx; polls while waiting)."""
    visit = _visit(request, number)
    latest = (
        visit.consultations.select_related("department").order_by("-requested_at", "-id").first()
    )
    ctx = {
        "visit": visit,
        "consultation": latest,
        "form": RequestForm(),
        "branch": visit.office.kind == Office.Kind.BRANCH,
    }
    return render(request, "remote/_visit_panel.html", ctx)


@login_required
@require_POST
def request_consultation(request, number):
    visit = _visit(request, number)
    form = RequestForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("相談先を選んでください。"), status=400)
    try:
        services.request_consultation(
            visit,
            by=request.user,
            department=form.cleaned_data["department"],
            note=form.cleaned_data["note"],
            request=request,
        )
    except services.ConsultationConflict as e:
        return HttpResponse(str(e), status=400)
    return redirect("remote:visit_panel", number=visit.number)


# -- the department's lobby ---------------------------------------------------------------


@login_required
def lobby(request):
    department = _lobby_department(request)
    ctx = {
        "department": department,
        "form": DeclineForm(),
        "waiting": Consultation.objects.waiting_for(department).select_related(
            "visit", "office", "requested_by__staff"
        ),
        "booked": services.booked_today(department),
        "mine": Consultation.objects.live()
        .filter(specialist=request.user)
        .select_related("visit", "office"),
    }
    if request.headers.get("HX-Request"):
        return render(request, "remote/_lobby_list.html", ctx)
    return render(request, "remote/lobby.html", ctx)


@login_required
def waiting(request):
    """The header's count of requests waiting for my department (polled by remote/notify.js
    from every page of a department's staff): the number, and the newest request's id so a
    page rings once per new request."""
    department = _lobby_department(request)
    ids = list(Consultation.objects.waiting_for(department).values_list("pk", flat=True))
    return JsonResponse({"count": len(ids), "latest": max(ids, default=0)})


def _lobby_consultation(request, pk) -> Consultation:
    department = _lobby_department(request)
    c = get_object_or_404(Consultation, pk=pk)
    if c.department_id != department.pk:
        raise PermissionDenied(_("他の課への相談は受け入れ・お断りできません。"))
    return c


@login_required
@require_POST
def admit(request, pk):
    c = _lobby_consultation(request, pk)
    try:
        services.admit(c, by=request.user, request=request)
    except services.ConsultationConflict as e:
        messages.error(request, str(e))
        return (
            redirect("remote:lobby")
            if not request.headers.get("HX-Request")
            else HttpResponse(str(e), status=409)
        )
    return redirect("remote:room", pk=c.pk)


@login_required
@require_POST
def decline(request, pk):
    c = _lobby_consultation(request, pk)
    form = DeclineForm(request.POST)
    message = (
        form.cleaned_data["message"]
        if form.is_valid()
        else str(DeclineForm.base_fields["message"].initial)
    )
    try:
        services.decline(c, by=request.user, message=message, request=request)
    except services.ConsultationConflict as e:
        messages.error(request, str(e))
        return (
            HttpResponse(str(e), status=409)
            if request.headers.get("HX-Request")
            else redirect("remote:lobby")
        )
    return redirect("remote:lobby")


# -- the room, both sides -----------------------------------------------------------------

ROOM_MESSAGES = {
    "connecting": _l("接続しています…"),
    "waiting": _l("相手の入室を待っています…"),
    "connected": _l("接続しました"),
    "reconnecting": _l("通信が途切れました。再接続しています…"),
    "ended": _l("相談は終了しました。"),
    "noDevice": _l(
        "カメラまたはマイクが見つかりません。機器の接続を確認してから、ページを再読み込みしてください。"
        "相手の映像と音声は受け取れます。"
    ),
    "denied": _l(
        "カメラとマイクの使用が許可されていません。ブラウザの設定で許可してから、ページを再読み込みしてください。"
    ),
    "mediaError": _l(
        "カメラまたはマイクを使えません。ほかのアプリが使用していないか確認してください。"
    ),
    "mute": _l("マイクを切る"),
    "unmute": _l("マイクを入れる"),
    "cameraOff": _l("カメラを切る"),
    "cameraOn": _l("カメラを入れる"),
    "toDocument": _l("書画カメラに切り替え"),
    "toFace": _l("顔のカメラに戻す"),
    "endedBranch": _l("相談は終了しました。聞き取りの続きは、この画面か来庁の画面で入力できます。"),
    "endedSpecialist": _l("相談は終了しました。"),
    "sessionEnded": _l(
        "ログインの有効期限が切れたため、通話を終了しました。ログイン画面に移ります。"
    ),
    "secondFactor": _l(
        "2段階認証の確認コードが必要なため、通話を終了しました。確認の画面に移ります。"
    ),
}
ENDED_ANSWER_SAVED = _l(
    "相談は終了しましたが、この回答は来庁記録に保存しました。続きは来庁の画面でも入力できます。"
)
ENDED_WITHDRAWAL_SAVED = _l(
    "相談は終了しましたが、回答の取り消しは来庁記録に保存しました。続きは来庁の画面でも入力できます。"
)
ENDED_ANSWER_REFUSED = _l(
    "相談が終了したため、この回答は保存されていません。支所の窓口に伝えてください。"
)


def _room_live_context(request, c: Consultation, role: str) -> dict:
    ctx = live_context(c.visit)
    ctx["answer_url"] = reverse("remote:answer", args=[c.pk])
    ctx["withdraw_url"] = reverse("remote:answer_withdraw", args=[c.pk])
    # The room has no accept button: the branch accepts and prints on its own visit page.
    ctx["in_room"] = True
    audit.record_many(
        request.user,
        "resident.viewed",
        [vp.resident_id for vp in ctx["people"] if vp.resident_id],
        request=request,
        visit=c.visit.number,
        consultation=c.pk,
    )
    return ctx


@login_required
def room(request, pk):
    c, role = _get_consultation_for_party(request, pk)
    ctx = _room_live_context(request, c, role)
    ctx.update(
        consultation=c,
        role=role,
        may_print=role == "branch"
        and access.protection(
            request.user, c.visit, request=request, visit_id=c.visit_id, where="packet"
        ).visible,
        event_label="・".join(default_pack().events[e].name for e in c.visit.events),
        room_config={
            "ws": f"{get_script_prefix()}ws/remote/{c.pk}/",
            "role": role,
            "iceServers": settings.MADOGUCHI_ICE_SERVERS,
            "liveUrl": reverse("remote:live", args=[c.pk]),
            "aliveSeconds": services.ALIVE_SECONDS,
            # A connected call counts as activity (room.js), told well within the idle time.
            "keepalive": reverse("accounts:keepalive"),
            "activitySeconds": max(1, min(60, settings.IDLE_TIMEOUT // 3)),
            "messages": ROOM_MESSAGES,
        },
    )
    return render(request, "remote/room.html", ctx)


@login_required
def live(request, pk):
    c, role = _get_consultation_for_party(request, pk)
    return render(request, "counter/_live.html", _room_live_context(request, c, role))


def _answer_after_the_call(request, pk):
    """An answer sent from a room whose call has ended (the other side hung up meanwhile).
    The branch clerk's visit is still theirs: the answer is saved as on the counter page and
    the room keeps showing the visit. The specialist's reach ended with the call: refused,
    with the reason, and the page keeps what it shows (madoguchi/errors.py → app.js banner)."""
    c = access.get_for_staff(
        request, Consultation.objects.select_related("visit__office", "department"), pk=pk
    )
    if c.state != Consultation.State.ENDED:
        raise PermissionDenied(_("この相談はまだ受け入れられていないか、終了しています。"))
    if request.user.pk != c.requested_by_id:
        raise PermissionDenied(str(ENDED_ANSWER_REFUSED))
    visit = access.get_for_staff(request, Visit.objects.select_related("office"), pk=c.visit_id)
    return c, visit


@login_required
@require_POST
def answer(request, pk):
    c = access.get_for_staff(request, Consultation, pk=pk)
    if c.state == Consultation.State.ENDED:
        return _answer_ended(request, pk)
    c, role = _get_consultation_for_party(request, pk)
    try:
        answer = posted_answer(request, c.visit)
    except BadInput as e:
        return error_fragment(str(e))
    answer.pop("unanswered")  # in the room both parties answer what both screens show
    ctx_error = None
    try:
        services.record_answers(c, by=request.user, request=request, **answer)
    except services.counter_services.VisitLocked as e:
        ctx_error = str(e)
    ctx = _room_live_context(request, c, role)
    ctx["error"] = ctx_error
    return render(request, "counter/_live.html", ctx, status=409 if ctx_error else 200)


def _answer_ended(request, pk):
    c, visit = _answer_after_the_call(request, pk)
    try:
        answer = posted_answer(request, visit)
    except BadInput as e:
        return error_fragment(str(e))
    notice = str(ENDED_ANSWER_SAVED)
    try:
        services.counter_services.record_answers(visit, by=request.user, request=request, **answer)
    except (services.counter_services.VisitLocked, services.counter_services.StaleEdit) as e:
        notice = str(e)
    return _ended_live(request, c, visit, notice)


def _ended_live(request, c, visit, notice):
    """The visit's live part after the call, with `notice`; further answers go where the visit
    lives now: the counter's own URLs."""
    ctx = live_context(visit)
    ctx.update(in_room=True, error=notice)
    audit.record_many(
        request.user,
        "resident.viewed",
        [vp.resident_id for vp in ctx["people"] if vp.resident_id],
        request=request,
        visit=visit.number,
        consultation=c.pk,
    )
    return render(request, "counter/_live.html", ctx)


@login_required
@require_POST
def answer_withdraw(request, pk):
    """「変更」 in the room: either party takes an answer back, as at the counter (a changed
    answer is refused with what changed); after the call, as an answer is (_answer_ended)."""
    c = access.get_for_staff(request, Consultation, pk=pk)
    ended = c.state == Consultation.State.ENDED
    if ended:
        c, visit = _answer_after_the_call(request, pk)
    else:
        c, role = _get_consultation_for_party(request, pk)
        visit = c.visit
    try:
        withdrawal = posted_withdrawal(request, visit)
    except BadInput as e:
        return error_fragment(str(e))
    counter = services.counter_services
    error = str(ENDED_WITHDRAWAL_SAVED) if ended else None
    try:
        if ended:
            counter.withdraw_answer(visit, by=request.user, request=request, **withdrawal)
        else:
            services.withdraw_answer(c, by=request.user, request=request, **withdrawal)
    except (counter.VisitLocked, counter.StaleEdit) as e:
        error = str(e)
    if ended:
        return _ended_live(request, c, visit, error)
    ctx = _room_live_context(request, c, role)
    ctx["error"] = error
    return render(request, "counter/_live.html", ctx, status=409 if error else 200)


@login_required
@require_POST
def end(request, pk):
    c = access.get_for_staff(request, Consultation, pk=pk)
    services.end(c, by=request.user, request=request)
    if request.user.pk == c.requested_by_id:
        return redirect("counter:visit", number=c.visit.number)
    return redirect("remote:lobby")
