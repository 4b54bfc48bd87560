"""Pages of the online quiz: taking it (accounts and light sign-in), the question bank, quiz
set-up and the office's results.

Taking pages are authorised by the quiz's unit subtree (the taker's unit lies under the
quiz's unit), not by ``visible_to``: participants see no unit data yet may take quizzes.
Office pages go through ``visible_to`` / ``quizzes_for_staff``; out of scope is 404.

A taker is known by a signed cookie that carries the ``QuizTaker`` id (set when an account
starts an attempt or a light sign-in succeeds), so that saving an answer needs no session
or account read: one UPDATE.
"""

from __future__ import annotations

from decimal import Decimal
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from campaigns.selectors import campaign_from_request
from core import records, reimport, uploads, xlsx
from core.forms import apply_errors, refusals
from core.pagination import paginate
from orgs.access import STAFF_ROLES, has_role, role_required
from orgs.choices import Role
from orgs.models import Unit
from orgs.scope import get_visible_or_404, path_in_scope
from orgs.selectors import unit_from_request
from quiz import bank_io, selectors, services, throttle
from quiz.choices import QuestionStatus
from quiz.forms import BankFilterForm, CodesForm, ImportForm, LightSignInForm, QuestionForm, QuizForm
from quiz.models import Attempt, Category, Question, Quiz, QuizTaker

OFFICE = (Role.OFFICE_ADMIN,)
TAKER_COOKIE = "xq_taker"
TAKER_SALT = "quiz.taker"
TAKER_MAX_AGE = 24 * 3600


# --- who is taking -------------------------------------------------------------------------


def _cookie_taker_id(request) -> int | None:
    try:
        return int(request.get_signed_cookie(TAKER_COOKIE, salt=TAKER_SALT, max_age=TAKER_MAX_AGE))
    except (KeyError, signing.BadSignature, ValueError):
        return None


def _taker_id(request) -> int | None:
    """The taker of this request: the signed cookie, or the signed-in account's taker."""
    found = _cookie_taker_id(request)
    if found is not None:
        return found
    if request.user.is_authenticated:
        return QuizTaker.objects.filter(account=request.user).values_list("pk", flat=True).first()
    return None


def _remember(response, taker: QuizTaker):
    response.set_signed_cookie(
        TAKER_COOKIE, str(taker.pk), salt=TAKER_SALT, max_age=TAKER_MAX_AGE, httponly=True, samesite="Lax"
    )
    return response


def _too_many(request) -> HttpResponse:
    return HttpResponse(
        _("Too many requests: please wait a minute and try again."), status=429, content_type="text/plain"
    )


def _quiz_for_taker(request, quiz_id: int) -> Quiz:
    """The quiz, when the signed-in account may take it (its unit lies in the quiz's
    subtree) or the visitor is not signed in (the light sign-in decides). 404 otherwise."""
    quiz = get_object_or_404(Quiz.objects.select_related("unit"), pk=quiz_id)
    if request.user.is_authenticated and not services.may_take(quiz, request.user.unit):
        raise Http404
    return quiz


def _own_attempt(request, attempt_id: int, queryset=None) -> Attempt:
    taker_id = _taker_id(request)
    if taker_id is None:
        raise Http404
    if queryset is None:
        queryset = Attempt.objects.select_related("quiz", "taker", "unit")
    return get_object_or_404(queryset, pk=attempt_id, taker_id=taker_id)


# What the paper page reads of an attempt and its quiz: a submitted attempt goes to its
# result, which reads the rest.
_PAPER_FIELDS = ("quiz_id", "taker_id", "deadline", "submitted_at", "paper", "quiz__title_zh", "quiz__title_bo")


# --- taking --------------------------------------------------------------------------------


@login_required
def index(request):
    user = request.user
    now = timezone.now()
    to_take = selectors.quizzes_to_take(user.unit).filter(closes_at__gt=now) if user.unit_id else Quiz.objects.none()
    taker_id = _taker_id(request)
    mine = (
        [
            selectors.as_read(a, now)
            for a in Attempt.objects.filter(taker_id=taker_id).select_related("quiz").order_by("-started_at")[:20]
        ]
        if taker_id
        else []
    )
    staff = has_role(user, *STAFF_ROLES)
    staff_quizzes = selectors.quizzes_for_staff(user) if staff else Quiz.objects.none()
    campaign = campaign_from_request(request) if staff else None
    if campaign is not None:  # the office's list: the quizzes of the campaign it works in
        staff_quizzes = staff_quizzes.filter(campaign=campaign)
    return render(
        request,
        "quiz/index.html",
        {
            "to_take": to_take,
            "mine": mine,
            "staff_quizzes": staff_quizzes[:50] if staff else [],
            "staff": staff,
            "office": has_role(user, *OFFICE),
            "bank_editor": services.may_edit_bank(user),
            "now": now,
        },
    )


def take(request, quiz_id: int):
    """The quiz's door: sign in lightly (name, unit, one-time code) or with the account,
    then start — or resume the open attempt."""
    quiz = _quiz_for_taker(request, quiz_id)
    now = timezone.now()
    is_open = quiz.opens_at <= now < quiz.closes_at
    taker = None
    if request.user.is_authenticated:
        taker = QuizTaker.objects.filter(account=request.user).first()
    else:
        cookie_id = _cookie_taker_id(request)
        taker = QuizTaker.objects.filter(pk=cookie_id).select_related("unit").first() if cookie_id else None
        if taker is not None and not services.may_take(quiz, taker.unit):
            taker = None
    form = LightSignInForm(request.POST or None) if not request.user.is_authenticated and taker is None else None
    if request.method == "POST":
        if not throttle.allow(request, taker.pk if taker else None):
            return _too_many(request)
        try:
            if taker is None and not request.user.is_authenticated:
                if not form.is_valid():
                    raise ValidationError({})
                unit = Unit.objects.filter(pk=form.cleaned_data.get("unit") or 0).first()
                taker, attempt, refused = services.sign_in_and_start(
                    quiz=quiz, name=form.cleaned_data["name"], unit=unit, code=form.cleaned_data["code"]
                )
            else:
                if request.user.is_authenticated:
                    taker = services.taker_for_account(request.user)
                attempt, refused = services.start_or_refusal(quiz=quiz, taker=taker)
        except ValidationError as exc:
            if form is not None and getattr(exc, "error_dict", None):
                apply_errors(form, exc)
        else:
            if refused is not None:
                messages.error(request, refused.message)
                return _remember(redirect("quiz:take", quiz_id=quiz.pk), taker)
            return _remember(redirect("quiz:attempt", attempt_id=attempt.pk), taker)
    attempts = (
        [selectors.as_read(a, now) for a in quiz.attempts.filter(taker=taker).order_by("-started_at")] if taker else []
    )
    return render(
        request,
        "quiz/take.html",
        {
            "quiz": quiz,
            "form": form,
            "taker": taker,
            "is_open": is_open,
            "attempts": attempts,
            "open_attempt": next((a for a in attempts if a.submitted_at is None and a.deadline > now), None),
            "attempts_left": max(0, quiz.attempts_allowed - len(attempts)),
            "unit_name": _picked_unit_name(form),
        },
    )


def _picked_unit_name(form) -> str:
    """The unit already chosen on a light sign-in form sent back with errors."""
    raw = str(form.data.get("unit", "")) if form is not None and form.is_bound else ""
    unit = Unit.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    return unit.name if unit else ""


def unit_choices(request, quiz_id: int):
    """Units of the quiz's subtree whose name contains ``q`` (for the light sign-in)."""
    quiz = _quiz_for_taker(request, quiz_id)
    if not throttle.allow(request, None):
        return _too_many(request)
    q = (request.GET.get("q") or "").strip()
    units = []
    if q:
        units = list(
            Unit.objects.filter(path__startswith=quiz.unit.path, active=True)
            .filter(Q(name_zh__contains=q) | Q(name_bo__contains=q))
            .order_by("depth", "path")[:20]
        )
    return render(request, "quiz/_unit_choices.html", {"units": units, "q": q})


def attempt_page(request, attempt_id: int):
    """The paper: one question at a time (``?n=``), or the whole paper (``?all=1``). The
    options carry letters only; the answer key is never in the page."""
    attempt = _own_attempt(request, attempt_id, Attempt.objects.select_related("quiz").only(*_PAPER_FIELDS))
    if selectors.is_expired(attempt):
        messages.info(request, _("Time is up: your attempt was submitted with the answers saved in time."))
    if attempt.submitted_at is not None or selectors.is_expired(attempt):
        return redirect("quiz:result", attempt_id=attempt.pk)
    chosen = selectors.live_answers(attempt)
    total = len(attempt.paper)
    whole = request.GET.get("all") == "1"
    try:
        n = min(max(int(request.GET.get("n", "")), 0), total - 1)
    except ValueError:
        n = next((i for i, c in enumerate(chosen) if not c), 0)
    paper = selectors.shown_paper(attempt, chosen, positions=None if whole else [n])
    return render(
        request,
        "quiz/attempt.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "paper": paper,
            "whole": whole,
            "n": n,
            "total": total,
            "answered": sum(1 for c in chosen if c),
            "dots": _dots(chosen, None if whole else n),
            "seconds_left": selectors.seconds_left(attempt),
            "deadline": attempt.deadline,
        },
    )


def _dots(chosen: list[str], current: int | None) -> str:
    """The paper's question links, answered ones marked: built here, not in the template,
    where each of a paper's twenty links costs a loop's round of nodes."""
    return format_html_join(
        "",
        '<li><a href="?n={}" class="{}" aria-current="{}">{}</a></li>',
        ((i, "done" if c else "", "true" if i == current else "false", i + 1) for i, c in enumerate(chosen)),
    )


_REFUSED_STATUS = {"late": 410, "closed": 409, "gone": 404, "invalid": 400}


@require_POST
def answer(request, attempt_id: int):
    """Save one answer: the hot path. One UPDATE (see ``services.save_answer``); no session
    or account read when the taker cookie is present. Answers with letters, never with the
    key. htmx gets a small status fragment, a form post a redirect, anything else JSON."""
    taker_id = _taker_id(request)
    if taker_id is None:
        raise Http404
    if not throttle.allow(request, taker_id):
        return _too_many(request)
    try:
        position = int(request.POST.get("position", ""))
    except ValueError:
        position = -1  # refused below, in the same words as a question that is not there
    try:
        services.save_answer(
            attempt_id=attempt_id, taker_id=taker_id, position=position, chosen=request.POST.getlist("chosen")
        )
    except services.Refused as exc:
        status = _REFUSED_STATUS.get(exc.reason, 400)
        if status == 404:
            raise Http404 from exc
        if request.htmx:
            response = render(request, "quiz/_refused.html", {"error": exc.message}, status=status)
            if exc.reason in ("late", "closed"):
                response["HX-Redirect"] = reverse("quiz:result", kwargs={"attempt_id": attempt_id})
            return response
        if "next" in request.POST:
            messages.error(request, exc.message)
            return redirect("quiz:attempt", attempt_id=attempt_id)
        return JsonResponse({"ok": False, "error": exc.reason, "message": exc.message}, status=status)
    if request.htmx:
        # The answer's status, in the request's language: twenty of these a taker, so no
        # template and none of the pages' context.
        return HttpResponse(format_html('<span class="saved">✓ {}</span>', _("Saved")))
    if "next" in request.POST:
        target = reverse("quiz:attempt", kwargs={"attempt_id": attempt_id})
        nxt = request.POST.get("next", "")
        if nxt == "all":
            return redirect(f"{target}?all=1")
        if nxt.isdigit():
            return redirect(f"{target}?n={int(nxt)}")
        return redirect(target)
    return JsonResponse({"ok": True})


@require_POST
def submit(request, attempt_id: int):
    """Submit the attempt; a second submission changes nothing and shows the same result.
    A page's post must carry the taker's confirmation (``confirm=1``, the paper's "yes,
    submit"): one without it is answered with the question, as a page of its own; a client
    asking for JSON submits at once."""
    taker_id = _taker_id(request)
    if taker_id is None:
        raise Http404
    if not throttle.allow(request, taker_id):
        return _too_many(request)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if not wants_json and request.POST.get("confirm") != "1":
        attempt = _own_attempt(request, attempt_id)
        if attempt.submitted_at is not None or selectors.is_expired(attempt):
            return redirect("quiz:result", attempt_id=attempt.pk)
        chosen = selectors.live_answers(attempt)
        return render(
            request,
            "quiz/submit_confirm.html",
            {"attempt": attempt, "quiz": attempt.quiz, "answered": sum(1 for c in chosen if c), "total": len(chosen)},
        )
    try:
        attempt = services.submit_own_attempt(attempt_id=attempt_id, taker_id=taker_id)
    except services.Refused as exc:
        raise Http404 from exc
    if wants_json:
        return JsonResponse({"ok": True, "score": str(attempt.score), "passed": attempt.passed})
    return redirect("quiz:result", attempt_id=attempt.pk)


def result(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if attempt.submitted_at is None and not selectors.is_expired(attempt):
        return redirect("quiz:attempt", attempt_id=attempt.pk)
    attempt = selectors.as_read(attempt)
    paper = selectors.shown_paper(attempt, list(attempt.answers), review=True)
    return render(request, "quiz/result.html", {"attempt": attempt, "quiz": attempt.quiz, "paper": paper})


@require_POST
def sign_out(request):
    response = redirect("quiz:index" if request.user.is_authenticated else "login")
    response.delete_cookie(TAKER_COOKIE)
    return response


# --- the question bank ---------------------------------------------------------------------


def bank_editor(view):
    """Office admins of a top unit (see ``services.may_edit_bank``); others get 403."""

    @role_required(*OFFICE)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not services.may_edit_bank(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@bank_editor
def bank(request):
    form = BankFilterForm(request.GET or None)
    qs = Question.objects.select_related("category").order_by("category__order", "key")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(Q(key__contains=data["q"]) | Q(text_zh__contains=data["q"]) | Q(text_bo__contains=data["q"]))
        if data["category"]:
            qs = qs.filter(category_id__in=services.category_subtree_ids(data["category"].pk))
        if data["status"]:
            qs = qs.filter(status=data["status"])
    categories = Category.objects.all()
    return render(
        request,
        "quiz/bank.html",
        {"form": form, "page": paginate(request, qs), "categories": categories, "total": Question.objects.count()},
    )


def _question_initial(question: Question) -> dict:
    initial = {
        "key": question.key,
        "category": question.category_id,
        "type": question.type,
        "difficulty": question.difficulty,
        "text_zh": question.text_zh,
        "text_bo": question.text_bo,
        "explanation_zh": question.explanation_zh,
        "explanation_bo": question.explanation_bo,
        "source": question.source,
        "tags": list(question.tags.values_list("pk", flat=True)),
        "publish": question.status == QuestionStatus.PUBLISHED,
    }
    for i, option in enumerate(question.options.all()):
        initial[f"option_{i}_zh"] = option.text_zh
        initial[f"option_{i}_bo"] = option.text_bo
        initial[f"option_{i}_right"] = option.is_correct
    return initial


def _edit_question(request, question: Question | None):
    form = QuestionForm(request.POST or None, initial=_question_initial(question) if question else {"difficulty": 2})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        options = [
            services.OptionData(data[f"option_{i}_zh"], data[f"option_{i}_bo"], data[f"option_{i}_right"])
            for i in range(6)
        ]
        with refusals(form) as outcome:
            saved = services.save_question(
                actor=request.user,
                question=question,
                key=data["key"],
                category=data["category"],
                type=data["type"],
                text_zh=data["text_zh"],
                text_bo=data["text_bo"],
                explanation_zh=data["explanation_zh"],
                explanation_bo=data["explanation_bo"],
                difficulty=data["difficulty"],
                source=data["source"],
                tags=list(data["tags"]),
                options=options,
                publish=data["publish"],
            )
        if not outcome.refused:
            messages.success(request, _("Question %(key)s saved.") % {"key": saved.key})
            return redirect("quiz:bank")
    return render(request, "quiz/question_form.html", {"form": form, "question": question})


@bank_editor
def question_new(request):
    return _edit_question(request, None)


@bank_editor
def question_edit(request, question_id: int):
    return _edit_question(request, get_object_or_404(Question, pk=question_id))


@require_POST
@bank_editor
def question_status(request, question_id: int):
    question = get_object_or_404(Question, pk=question_id)
    status = request.POST.get("status", "")
    if status not in QuestionStatus.values:
        raise Http404
    try:
        services.set_question_status(actor=request.user, question=question, status=status)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Question %(key)s is now %(status)s.") % {"key": question.key, "status": question.get_status_display()},
        )
    return redirect("quiz:bank")


@bank_editor
def bank_export(request):
    return xlsx.download(bank_io.export_bank(), "question-bank.xlsx")


BANK_IMPORT = "quiz-bank"


@bank_editor
def bank_import(request):
    form = ImportForm(request.POST or None, reimport.files(request, BANK_IMPORT))
    outcome = again = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        sha256 = uploads.sha256_of(upload)
        again = reimport.ask_first(request, BANK_IMPORT, BANK_IMPORT, upload, sha256)
        if again is None:
            reimport.release(request.user, BANK_IMPORT)
            outcome = bank_io.import_bank(actor=request.user, upload=upload)
            if outcome.ok:
                reimport.remember(place=BANK_IMPORT, sha256=sha256, name=upload.name, actor=request.user)
                messages.success(
                    request,
                    _("Imported: %(created)s new questions, %(changed)s changed.")
                    % {"created": outcome.created, "changed": outcome.changed},
                )
                return redirect("quiz:bank")
            uploads.discard(upload)
    return render(
        request,
        "quiz/bank_import.html",
        {"form": form, "outcome": outcome, "columns": bank_io.COLUMNS, "again": again},
    )


# --- quizzes -------------------------------------------------------------------------------


@role_required(*OFFICE)
def quiz_new(request):
    campaign = campaign_from_request(request)
    if campaign is None:
        raise Http404
    initial = {"unit": request.user.unit.code if request.user.unit_id else ""}
    form = QuizForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = Unit.objects.visible_to(request.user).filter(code=data.pop("unit").strip()).first()
        with refusals(form) as outcome:
            if unit is None:
                raise ValidationError({"unit": _("No unit with this code in your scope.")})
            quiz = services.create_quiz(actor=request.user, campaign=campaign, unit=unit, **data)
        if not outcome.refused:
            messages.success(request, _("Quiz created: now set its paper."))
            return redirect("quiz:manage", quiz_id=quiz.pk)
    return render(request, "quiz/quiz_form.html", {"form": form, "campaign": campaign})


@role_required(*OFFICE)
def quiz_manage(request, quiz_id: int):
    quiz = get_visible_or_404(Quiz.objects.select_related("unit", "campaign"), request.user, pk=quiz_id)
    categories = list(Category.objects.all())
    current = {q.category_id: q.count for q in quiz.quotas.all()}
    errors: dict[str, str] = {}
    if request.method == "POST":
        quotas: dict[int, int] = {}
        typed: dict[int, str] = {}
        for category in categories:
            raw = request.POST.get(f"quota_{category.pk}", "").strip()
            typed[category.pk] = raw
            try:
                quotas[category.pk] = records.ascii_number(raw) if raw else 0
            except records.Refused as exc:  # what was typed stays, with the reason next to it
                errors[f"quota_{category.pk}"] = exc.message
        try:
            if errors:
                raise ValidationError(errors)
            services.set_quotas(actor=request.user, quiz=quiz, quotas=quotas)
        except ValidationError as exc:
            errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
            current = typed
        else:
            messages.success(request, _("The paper is set."))
            return redirect("quiz:manage", quiz_id=quiz.pk)
    rows = [
        {
            "category": c,
            "count": current.get(c.pk, 0),
            "published": services.published_count(c.pk),
            "error": errors.get(f"quota_{c.pk}", ""),
        }
        for c in categories
    ]
    return render(
        request,
        "quiz/quiz_manage.html",
        {
            "quiz": quiz,
            "rows": rows,
            "error": errors.get("quotas", ""),
            "codes_form": CodesForm(),
            "codes_total": quiz.codes.count(),
            "codes_used": quiz.codes.filter(taker__isnull=False).count(),
            "take_url": request.build_absolute_uri(reverse("quiz:take", kwargs={"quiz_id": quiz.pk})),
        },
    )


@require_POST
@role_required(*OFFICE)
def quiz_codes(request, quiz_id: int):
    quiz = get_visible_or_404(Quiz.objects.select_related("unit"), request.user, pk=quiz_id)
    form = CodesForm(request.POST)
    if form.is_valid():
        made = services.generate_codes(actor=request.user, quiz=quiz, count=form.cleaned_data["count"])
        messages.success(request, _("%(n)s one-time codes made.") % {"n": len(made)})
    else:
        messages.error(request, _("Between 1 and 50,000 codes at a time."))
    return redirect("quiz:manage", quiz_id=quiz.pk)


@role_required(*OFFICE)
def quiz_codes_export(request, quiz_id: int):
    quiz = get_visible_or_404(Quiz.objects.all(), request.user, pk=quiz_id)
    wb = xlsx.book()
    ws = wb.active
    xlsx.append(ws, [pgettext("quiz code", "Code"), _("Used")])
    for code, taker in quiz.codes.order_by("pk").values_list("code", "taker_id"):
        xlsx.append(ws, [code, "1" if taker else ""])
    return xlsx.download(wb, f"quiz-{quiz.pk}-codes.xlsx")


# --- results -------------------------------------------------------------------------------


def _results_quiz(request, quiz_id: int) -> Quiz:
    quiz = selectors.quizzes_for_staff(request.user).filter(pk=quiz_id).first()
    if quiz is None:
        raise Http404
    return quiz


def _results_root(request, quiz: Quiz) -> tuple[Unit, list[Unit]]:
    roots = selectors.result_roots(request.user, quiz)
    if not roots:
        raise Http404
    return unit_from_request(request, default=lambda user: roots[0], within=quiz.unit), roots


@role_required(*STAFF_ROLES)
def results(request, quiz_id: int):
    quiz = _results_quiz(request, quiz_id)
    root, roots = _results_root(request, quiz)
    data = selectors.results(quiz, root)
    crumbs = [
        u
        for u in Unit.objects.filter(path__in=root.ancestor_paths()[:-1]).order_by("path")
        if path_in_scope(request.user, u.path) and u.path.startswith(quiz.unit.path)
    ]
    return render(
        request,
        "quiz/results.html",
        {
            "quiz": quiz,
            "root": root,
            "roots": roots,
            "crumbs": crumbs,
            "data": data,
            "hardest": selectors.hardest(quiz, root),
            "flagged": selectors.attempts_in(request.user, quiz, root, flagged=True).filter(review="pending").count(),
        },
    )


@role_required(*STAFF_ROLES)
def results_export(request, quiz_id: int):
    quiz = _results_quiz(request, quiz_id)
    root, _roots = _results_root(request, quiz)
    data = selectors.results(quiz, root)
    wb = xlsx.book()
    ws = wb.active
    ws.title = "results"
    xlsx.append(
        ws,
        [
            _("Unit"),
            _("Code"),
            _("Takers"),
            _("Party members"),
            _("Participation (%)"),
            _("Average score"),
            _("Pass rate (%)"),
        ],
    )

    def num(value):
        return float(value) if isinstance(value, Decimal) else value

    for row in [data.root, *data.rows]:
        xlsx.append(
            ws,
            [
                pgettext("breakdown by unit", "Own level") if row.own else row.unit.name,
                row.unit.code,
                row.takers,
                row.members,
                num(row.participation),
                num(row.average),
                num(row.pass_rate),
            ],
        )
    hard = wb.create_sheet("hardest")
    xlsx.append(hard, [_("Question"), _("Text"), _("Asked"), _("Right"), _("Facility index (%)")])
    for f in selectors.hardest(quiz, root, limit=50):
        xlsx.append(hard, [f.question.key, f.question.text, f.asked, f.right, float(f.index)])
    return xlsx.download(wb, f"quiz-{quiz.pk}-{root.code}.xlsx")


@role_required(*STAFF_ROLES)
def results_attempts(request, quiz_id: int):
    quiz = _results_quiz(request, quiz_id)
    root, _roots = _results_root(request, quiz)
    flagged = request.GET.get("flagged") == "1"
    page = paginate(request, selectors.attempts_in(request.user, quiz, root, flagged=flagged))
    page.object_list = [selectors.as_read(a) for a in page.object_list]
    return render(
        request,
        "quiz/attempts.html",
        {"quiz": quiz, "root": root, "page": page, "flagged": flagged, "office": has_role(request.user, *OFFICE)},
    )


@require_POST
@role_required(*OFFICE)
def review(request, attempt_id: int):
    attempt = get_visible_or_404(Attempt.objects.select_related("unit", "quiz"), request.user, pk=attempt_id)
    try:
        services.review_attempt(actor=request.user, attempt=attempt, accept=request.POST.get("accept") == "1")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Review recorded."))
    target = reverse("quiz:attempts", kwargs={"quiz_id": attempt.quiz_id})
    return redirect(f"{target}?unit={attempt.unit.code}&flagged=1")
