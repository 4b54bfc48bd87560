"""The account's API tokens: list, create (the secret is shown once, on the answer to the
creation, and never stored) and revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from api import services
from api.forms import TokenForm
from api.models import ApiToken
from core.forms import apply_errors
from orgs.access import STAFF_ROLES, role_required


@never_cache
@role_required(*STAFF_ROLES)
def tokens(request):
    secret = None
    created = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = services.create_token(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": ApiToken.objects.filter(account=request.user),
            "secret": secret,
            "created": created,
        },
    )


@require_POST
@role_required(*STAFF_ROLES)
def revoke(request, api_token_id: int):
    token = get_object_or_404(ApiToken, pk=api_token_id, account=request.user)
    services.revoke_token(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens")
