"""Pages of the texts the group publishes: a period's texts, one text, its versions, edit, approve, DOCX.

Drafts are known only to the secretariat and the period's co-chairs (404 for anyone else);
a text on release is open to everyone signed in. Writes go through reports/publishing.py.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from disrupt.access import policy
from disrupt.lib.text import grouped, parse_body
from disrupt.programme.models import Meeting, PeriodOfAction
from disrupt.reports import publishing
from disrupt.reports.choices import PublicationKind, PublicationStatus
from disrupt.reports.models import Publication, PublicationVersion


class PublicationForm(forms.Form):
    title = forms.CharField(max_length=250)
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="Paragraphs separated by a blank line; a line starting with • is a bullet, "
        "a line starting with ## is a heading.",
    )
    change_summary = forms.CharField(
        label="What changed and why", max_length=250, help_text="Kept with the version, for the history."
    )


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of text", choices=PublicationKind.choices)
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(), required=False, label="Workshop (for a co-chairs' statement)"
    )

    def __init__(self, *args: object, period: PeriodOfAction, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["meeting"].queryset = period.meetings.order_by("starts_on")  # type: ignore[attr-defined]


def _period(request: HttpRequest, number: int) -> PeriodOfAction:
    return get_object_or_404(policy.visible_to(request.user, PeriodOfAction.objects.all()), number=number)


def _publication(request: HttpRequest, pk: int) -> Publication:
    publications = Publication.objects.select_related("period", "meeting")
    return get_object_or_404(policy.visible_to(request.user, publications), pk=pk)


def _version(request: HttpRequest, publication: Publication, number: int) -> PublicationVersion:
    versions = policy.visible_to(
        request.user, publication.versions.select_related("created_by", "approved_by")
    )
    return get_object_or_404(versions, number=number)


def _shown(request: HttpRequest, publication: Publication) -> PublicationVersion:
    version = publishing.shown_version(request.user, publication)
    if version is None:
        raise Http404("No version of this text is on release.")
    return version


def _newest(versions: Iterable[PublicationVersion]) -> PublicationVersion | None:
    return max(versions, key=lambda version: version.number, default=None)


@login_required
def publication_list(request: HttpRequest, number: int) -> HttpResponse:
    period = _period(request, number)
    versions = policy.visible_to(request.user, PublicationVersion.objects.order_by("-number"))
    publications = policy.visible_to(request.user, period.publications.select_related("meeting"))
    publications = publications.prefetch_related(Prefetch("versions", queryset=versions, to_attr="visible"))
    rows = [
        (p, _newest(p.visible), _newest(v for v in p.visible if v.status == PublicationStatus.APPROVED))
        for p in publications
    ]
    may_draft = policy.may_draft_publications(request.user, period)
    return render(
        request,
        "reports/publication_list.html",
        {
            "period": period,
            "rows": rows,
            "may_draft": may_draft,
            "generate_form": GenerateForm(period=period) if may_draft else None,
            "kinds": PublicationKind.choices,
        },
    )


@login_required
@require_POST
def publication_generate(request: HttpRequest, number: int) -> HttpResponse:
    period = _period(request, number)
    if not policy.may_draft_publications(request.user, period):
        raise PermissionDenied("Only the secretariat and the period's co-chairs draft its texts.")
    form = GenerateForm(request.POST, period=period)
    if not form.is_valid():
        messages.error(request, "Choose a kind of text (and, for a statement, one of the period's meetings).")
        return redirect("reports:publication_list", number)
    try:
        version = publishing.do_generate(
            request.user, period, form.cleaned_data["kind"], form.cleaned_data["meeting"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:publication_list", number)
    messages.success(request, f"Draft version {version.number} written from the data.")
    return redirect(version.publication)


def _detail(request: HttpRequest, publication: Publication, version: PublicationVersion) -> HttpResponse:
    user = request.user
    versions = policy.visible_to(user, publication.versions.select_related("created_by", "approved_by"))
    return render(
        request,
        "reports/publication_detail.html",
        {
            "publication": publication,
            "version": version,
            "blocks": grouped(parse_body(version.body)),
            "marking": publishing.marking(version),
            "status_line": publishing.status_line(version),
            "released": publication.approved,
            "versions": versions.order_by("-number"),
            "can_edit": policy.can_edit_publication(user, publication),
            "can_approve": policy.can_approve_publication(user, version),
        },
    )


@login_required
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    return _detail(request, publication, _shown(request, publication))


@login_required
def publication_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    publication = _publication(request, pk)
    return _detail(request, publication, _version(request, publication, number))


@login_required
def publication_edit(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    if not policy.can_edit_publication(request.user, publication):
        raise PermissionDenied("Only the secretariat and the period's co-chairs edit its texts.")
    current = _shown(request, publication)
    if request.method == "POST":
        form = PublicationForm(request.POST)
        if form.is_valid():
            try:
                version = publishing.do_edit(request.user, publication, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"Saved as draft version {version.number}.")
                return redirect(publication)
    else:
        form = PublicationForm(initial={"title": current.title, "body": current.body})
    return render(
        request,
        "reports/publication_edit.html",
        {"publication": publication, "current": current, "form": form},
    )


@login_required
@require_POST
def publication_approve(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    publication = _publication(request, pk)
    version = _version(request, publication, number)
    try:
        publishing.do_approve(request.user, version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(version)
    messages.success(request, f"Version {version.number} is approved for release.")
    return redirect(publication)


def _docx(request: HttpRequest, version: PublicationVersion) -> HttpResponse:
    data = publishing.do_download(request.user, version)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="{publishing.docx_filename(version)}"'
    return response


@login_required
def publication_docx(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    return _docx(request, _shown(request, publication))


@login_required
def publication_version_docx(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    publication = _publication(request, pk)
    return _docx(request, _version(request, publication, number))
