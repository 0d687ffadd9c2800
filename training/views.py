from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from catalog.pack import default_pack
from training import scenarios, services
from training.forms import AssignForm
from training.models import Assignment, Attempt


@login_required
def home(request):
    """The trainee's page: the scenarios given to them, and their results."""
    access.require(request, "training")
    return render(
        request,
        "training/home.html",
        {
            "assignments": Assignment.objects.filter(trainee=request.user),
            "attempts": Attempt.objects.filter(trainee=request.user).select_related("assignment")[
                :20
            ],
        },
    )


@login_required
@require_POST
def start(request, pk):
    access.require(request, "training")
    assignment = get_object_or_404(Assignment, pk=pk, trainee=request.user)
    services.start(assignment, by=request.user, request=request)
    messages.success(
        request,
        _("練習を始めました。お客様の情報を見ながら、住民検索から受付完了まで進めてください。"),
    )
    return redirect("training:card")


@login_required
@require_POST
def stop(request):
    services.stop(request)
    messages.success(request, _("練習モードを終了しました。"))
    return redirect("training:home")


@login_required
def card(request):
    """お客様の情報: what the resident of the scenario would say at the counter."""
    access.require(request, "training")
    attempt = services.current(request)
    if attempt is None:
        return redirect("training:home")
    sc = scenarios.parse(attempt.assignment.scenario)
    pack = default_pack()
    people = []
    for i, p in enumerate(sc.people):
        name, kana = scenarios.person_name(sc, i, p)
        facts = [
            (pack.facts[k].label, pack.facts[k].display(v))
            for k, v in p.items()
            if k in pack.facts and k not in ("relation", "birth_date", "sex")
        ]
        people.append({"p": p, "name": name, "kana": kana, "facts": facts,
                       "registered": not scenarios.newcomer(sc, p)})  # fmt: skip
    household = [
        (pack.facts[k].label, pack.facts[k].display(v))
        for k, v in sc.household.items()
        if k in pack.facts
    ]
    return render(
        request,
        "training/card.html",
        {
            "attempt": attempt,
            "scenario": sc,
            "event_names": "・".join(pack.events[e].name for e in sc.case.events),
            "people": people,
            "household": household,
        },
    )


@login_required
def assign(request):
    access.require(request, "training_assign")
    form = AssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        for staff in d["trainees"]:
            services.assign(by=request.user, trainee=staff.user, name=d["name"],
                            source=d["source"], text=d["yaml"], request=request)  # fmt: skip
        messages.success(request, _("%(n)d 人に割り当てました。") % {"n": len(d["trainees"])})
        return redirect("training:results")
    return render(
        request, "training/assign.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def results(request):
    """Every trainee's practice at a glance (supervisors)."""
    access.require(request, "training_assign")
    rows = []
    for staff in access.trainees().order_by("display_name"):
        done = [a for a in Attempt.objects.filter(trainee=staff.user) if a.finished_at]
        rows.append(
            {
                "staff": staff,
                "attempts": len(done),
                "perfect": sum(a.perfect for a in done),
                "last": done[0] if done else None,
                "assigned": Assignment.objects.filter(trainee=staff.user).count(),
            }
        )
    return render(request, "training/results.html", {"rows": rows})


@login_required
def trainee_results(request, user_id):
    """One trainee's results over time: their own, or anyone's for a supervisor."""
    staff = access.require(request, "training")
    trainee = get_object_or_404(get_user_model(), pk=user_id)
    if not access.may_see_training_of(staff, trainee):
        raise PermissionDenied(_("他の職員の練習の成績は表示できません。"))
    attempts = list(
        Attempt.objects.filter(trainee=trainee, finished_at__isnull=False)
        .select_related("assignment")
        .order_by("started_at", "id")
    )
    return render(
        request,
        "training/trainee_results.html",
        {"trainee": trainee, "attempts": attempts},
    )


@login_required
def attempt_detail(request, pk):
    staff = access.require(request, "training")
    attempt = get_object_or_404(Attempt.objects.select_related("assignment", "trainee"), pk=pk)
    if not access.may_see_training_of(staff, attempt.trainee):
        raise PermissionDenied(_("他の職員の練習の成績は表示できません。"))
    return render(request, "training/attempt.html", {"attempt": attempt, "s": attempt.score})
