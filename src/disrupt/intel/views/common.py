"""What the intel pages share: the signed-in user, visible objects, errors onto forms, htmx."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from disrupt.access import policy
from disrupt.access.describe import who_can_read
from disrupt.directory.models import User


def user_of(request: HttpRequest) -> User:
    """The signed-in user (every intel page requires one)."""
    assert isinstance(request.user, User)
    return request.user


def visible(request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return policy.visible_to(request.user, queryset)


def visible_or_404(request: HttpRequest, queryset: QuerySet[Any], pk: int) -> Any:
    """The object through the access policy: 404 for what the user may not know exists."""
    return get_object_or_404(visible(request, queryset), pk=pk)


def add_errors(form: BaseForm, error: ValidationError) -> None:
    """An action's ValidationError onto the form's fields where it names one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages_ in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


def render_htmx(
    request: HttpRequest, template: str, partial: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The whole page, or only `partial` when htmx asks for a piece of it (polling a job's
    progress, for instance). The page includes the same partial, so both always agree."""
    if getattr(request, "htmx", False) and not request.htmx.boosted:  # type: ignore[attr-defined]
        return render(request, partial, context, status=status)
    return render(request, template, context, status=status)


def sharing_page(request: HttpRequest, record: Any, *, back: str) -> HttpResponse:
    """The owner's sharing page of a collection or an assessment (intel/sharing.html)."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import redirect

    from disrupt.intel import actions
    from disrupt.intel.forms import SharingForm

    user = user_of(request)
    if not policy.owns_record(user, record):
        raise PermissionDenied("Only the author or a focal point of the owning agency shares it.")
    form = SharingForm(request.POST or None, user=user, record=record)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_sharing(
                user,
                record,
                handling_code=form.cleaned_data["handling_code"],
                agencies=form.cleaned_data["agencies"],
                countries=form.cleaned_data["countries"],
                plans=form.cleaned_data["plans"],
                people=form.cleaned_data["people"],
            )
        except ValidationError as error:
            record.refresh_from_db(fields=["handling_code"])
            add_errors(form, error)
        else:
            messages.success(request, "Sharing saved.")
            return redirect(back)
    return render(
        request,
        "intel/sharing.html",
        {"record": record, "form": form, "back": back, "who_can_read": who_can_read(record)},
    )
