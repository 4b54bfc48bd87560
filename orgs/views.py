from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.forms import refusals, submit
from core.pagination import paginate
from orgs import selectors, services, tokens
from orgs.access import STAFF_ROLES, role_required
from orgs.choices import Role, UnitKind
from orgs.forms import AccountForm, PersonFilterForm, TokenForm, UnitCloseForm, UnitEditForm, UnitForm, UnitMoveForm
from orgs.models import Account, ApiToken, Unit
from orgs.scope import get_visible_or_404, scope_paths

OFFICE = (Role.OFFICE_ADMIN,)


def _unit(request, code: str) -> Unit:
    return get_visible_or_404(Unit.objects.all(), request.user, code=code)


def _visible_code(request, code: str, field: str) -> Unit:
    return selectors.unit_for_field(request.user, code, field)


@role_required(*STAFF_ROLES)
def unit_tree(request):
    paths = scope_paths(request.user)
    roots = list(Unit.objects.get_root_nodes() if paths is None else Unit.objects.filter(path__in=paths))
    if len(roots) == 1:
        return redirect("orgs:unit_detail", code=roots[0].code)
    return render(request, "orgs/unit_roots.html", {"roots": roots})


@require_POST
@role_required(*STAFF_ROLES)
def choose_scope(request):
    """The scope picker's choice: the unit (inside the reader's scope, else 404) that the
    pages reading a subtree show from now on in this session; back to the page it came from."""
    unit = selectors.remember_unit(request, request.POST.get("unit", ""))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    messages.success(request, _("Now showing %(unit)s.") % {"unit": unit.name})
    return redirect(back)


@role_required(*STAFF_ROLES)
def unit_search(request):
    q = request.GET.get("q", "")
    results = selectors.search_units(request.user, q)
    template = "orgs/_unit_results.html" if request.htmx else "orgs/unit_search.html"
    return render(request, template, {"q": q, "results": results})


@role_required(*STAFF_ROLES)
def unit_detail(request, code: str):
    unit = _unit(request, code)
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "")
    page = paginate(request, selectors.children(unit, kind=kind, q=q))
    return render(
        request,
        "orgs/unit_detail.html",
        {
            "unit": unit,
            "crumbs": selectors.breadcrumbs(request.user, unit),
            "page": page,
            "kind": kind,
            "q": q,
            "kinds": UnitKind.choices,
            "people_count": unit.people.count(),
            "can_edit": request.user.is_superuser or request.user.role == Role.OFFICE_ADMIN,
        },
    )


@role_required(*OFFICE)
def unit_create(request, code: str):
    parent = _unit(request, code)
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit = submit(form, services.create_unit, actor=request.user, parent=parent, **form.cleaned_data)
        if unit is not None:
            messages.success(request, _("Unit %(name)s created.") % {"name": unit.name})
            return redirect("orgs:unit_detail", code=unit.code)
    return render(
        request,
        "orgs/unit_form.html",
        {"form": form, "parent": parent, "title": _("New unit under %(name)s") % {"name": parent.name}},
    )


@role_required(*OFFICE)
def unit_edit(request, code: str):
    unit = _unit(request, code)
    initial = {f: getattr(unit, f) for f in services.UNIT_FIELDS} | {"version": unit.version}
    form = UnitEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        if submit(form, services.update_unit, actor=request.user, unit=unit, expected_version=version, **data):
            messages.success(request, _("Changes saved."))
            return redirect("orgs:unit_detail", code=unit.code)
    return render(
        request, "orgs/unit_form.html", {"form": form, "unit": unit, "title": _("Edit %(name)s") % {"name": unit.name}}
    )


@role_required(*OFFICE)
def unit_move(request, code: str):
    unit = _unit(request, code)
    form = UnitMoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            new_parent = _visible_code(request, form.cleaned_data["parent"], "parent")
            services.move_unit(actor=request.user, unit=unit, new_parent=new_parent)
        if not outcome.refused:
            messages.success(request, _("Unit moved."))
            return redirect("orgs:unit_detail", code=unit.code)
    return render(
        request, "orgs/unit_form.html", {"form": form, "unit": unit, "title": _("Move %(name)s") % {"name": unit.name}}
    )


@role_required(*OFFICE)
def unit_close(request, code: str):
    unit = _unit(request, code)
    form = UnitCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            merged_code = form.cleaned_data["merged_into"]
            merged = _visible_code(request, merged_code, "merged_into") if merged_code else None
            services.close_unit(
                actor=request.user, unit=unit, closed_on=form.cleaned_data["closed_on"], merged_into=merged
            )
        if not outcome.refused:
            messages.success(request, _("Unit closed."))
            return redirect("orgs:unit_detail", code=unit.code)
    return render(
        request, "orgs/unit_form.html", {"form": form, "unit": unit, "title": _("Close %(name)s") % {"name": unit.name}}
    )


@role_required(*OFFICE)
def unit_history(request, code: str):
    unit = _unit(request, code)
    page = paginate(request, selectors.unit_history(unit))
    return render(request, "orgs/unit_history.html", {"unit": unit, "page": page})


@role_required(*STAFF_ROLES)
def unit_people(request, code: str):
    unit = _unit(request, code)
    form = PersonFilterForm(request.GET or None)
    rank = q = ""
    if form.is_valid():
        rank, q = form.cleaned_data["rank"], form.cleaned_data["q"]
    page = paginate(request, selectors.people_in(request.user, unit, rank=rank, q=q))
    return render(request, "orgs/unit_people.html", {"unit": unit, "page": page, "form": form})


@role_required(*OFFICE)
def account_list(request):
    root = request.user.unit if not request.user.is_superuser else Unit.objects.get_first_root_node()
    page = paginate(request, selectors.accounts_in(request.user, root))
    locked = selectors.locked_usernames([a.username for a in page])
    return render(request, "orgs/account_list.html", {"page": page, "root": root, "locked": locked})


@role_required(*OFFICE)
def account_create(request):
    form = AccountForm(request.POST or None, initial={"unit": request.GET.get("unit", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals(form) as outcome:
            unit = _visible_code(request, data["unit"], "unit")
            account = services.create_account(
                actor=request.user,
                username=data["username"],
                unit=unit,
                role=data["role"],
                password=data["password"],
                display_name=data["display_name"],
            )
        if not outcome.refused:
            messages.success(request, _("Account %(username)s created.") % {"username": account.username})
            return redirect("orgs:account_list")
    return render(request, "orgs/account_form.html", {"form": form})


@require_POST
@role_required(*OFFICE)
def account_unlock(request, account_id: int):
    account = get_visible_or_404(Account.objects.select_related("unit"), request.user, pk=account_id)
    services.unlock_account(actor=request.user, account=account)
    messages.success(request, _("Account %(username)s unlocked.") % {"username": account.username})
    return redirect("orgs:account_list")


@require_POST
@role_required(*OFFICE)
def account_set_active(request, account_id: int):
    account = get_visible_or_404(Account.objects.select_related("unit"), request.user, pk=account_id)
    active = request.POST.get("active") == "1"
    try:
        services.set_account_active(actor=request.user, account=account, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if active:
            messages.success(request, _("Account %(username)s enabled.") % {"username": account.username})
        else:
            messages.success(request, _("Account %(username)s disabled.") % {"username": account.username})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("orgs:account_list")
    return redirect(target)


# --- The account's own API tokens: list, create (the secret is shown once, on the answer to
# the creation, and never stored) and revoke.


@never_cache
@role_required(*STAFF_ROLES)
def api_tokens(request):
    secret = None
    created = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            created, secret = tokens.create_token(actor=request.user, name=form.cleaned_data["name"])
        if not outcome.refused:
            form = TokenForm()
    return render(
        request,
        "orgs/api_tokens.html",
        {
            "form": form,
            "tokens": ApiToken.objects.filter(account=request.user),
            "secret": secret,
            "created": created,
        },
    )


@require_POST
@role_required(*STAFF_ROLES)
def api_token_revoke(request, api_token_id: int):
    token = get_object_or_404(ApiToken, pk=api_token_id, account=request.user)
    tokens.revoke_token(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens")
