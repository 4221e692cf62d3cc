"""The practice's own pages: readiness overview, privacy statement, onderaannemer."""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Practice, Role
from accounts.roles import caregiver_required, roles_required
from audit.models import Action, Basis, EventType
from audit.services import record
from consent.access import active_mandate
from dossiers.access import Access, clients_visible_to, dossier_for
from dossiers.export_views import download
from dossiers.exports import RefusingFetcher
from dossiers.models import Client, Dossier, LegalBasis
from practice import readiness, services
from practice.forms import PrincipalCheckForm, PrivacyStatementForm, SubcontractForm
from practice.models import Subcontract


def _scope(request: AuthenticatedHttpRequest) -> tuple[Practice, Any, dict[str, Any]]:
    """The practice and the dossiers this user may survey, and how to log it."""
    user = request.user
    if user.is_inspector:
        mandate = active_mandate(user)
        if mandate is None:
            raise Http404
        return (
            mandate.practice,
            clients_visible_to(user),
            {
                "basis": Basis.INSPECTOR,
                "basis_ref": mandate.pk,
                "case_reference": mandate.case_reference,
            },
        )
    assert user.practice is not None  # caregiver_has_practice  # noqa: S101
    practice = user.practice
    return practice, Client.objects.filter(practice=practice), {"basis": Basis.OWN}


def _overview(
    request: AuthenticatedHttpRequest, *, action: str, event_type: EventType
) -> dict[str, Any]:
    practice, clients, basis = _scope(request)
    today = timezone.localdate()
    rows = readiness.dossier_rows(clients, today)
    record(
        actor=request.user,
        action=action,
        event_type=event_type,
        practice_id=practice.pk,
        object_type="readiness",
        fields=["completeness", "rights_requests", "retention", "subcontract"],
        detail=_("%(n)s dossiers") % {"n": len(rows)},
        **basis,
    )
    return {
        "practice": practice,
        "rows": rows,
        "facts": readiness.practice_facts(practice),
        "today": today,
        "now": timezone.localtime(),
        "for_inspector": basis["basis"] == Basis.INSPECTOR,
        "age_in_days": readiness.age_in_days,
    }


@roles_required(Role.CAREGIVER, Role.INSPECTOR)
@require_GET
def readiness_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = _overview(
        request, action=Action.READ, event_type=EventType.PRACTICE_READINESS
    )
    return render(request, "practice/readiness.html", context)


@roles_required(Role.CAREGIVER, Role.INSPECTOR)
@require_GET
def readiness_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    # WeasyPrint loads Pango and its fonts (about a second): only a process that renders pays.
    import weasyprint

    context = _overview(
        request, action=Action.EXECUTE, event_type=EventType.PRACTICE_READINESS_PDF
    )
    html = render_to_string("practice/readiness_pdf.html", context)
    pdf = weasyprint.HTML(
        string=html, base_url="about:blank", url_fetcher=RefusingFetcher().make()
    ).write_pdf()
    stamp = context["today"].isoformat()
    return download(
        pdf,
        filename=f"verantwoording-dossiervoering-{stamp}.pdf",
        content_type="application/pdf",
    )


@caregiver_required
@require_http_methods(["GET", "POST"])
def privacy_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    practice = cast(Practice, user.practice)
    current = practice.privacy_statements.first()
    form = PrivacyStatementForm(
        request.POST or None, instance=None, initial=_initial(current)
    )
    if request.method == "POST" and form.is_valid():
        statement = services.privacy_statement_publish(
            practice=practice, actor=user, **form.cleaned_data
        )
        messages.success(
            request,
            _("Versie %(v)s van uw privacyverklaring staat online.")
            % {"v": statement.version},
        )
        return redirect("practice:privacy_edit")
    return render(
        request,
        "practice/privacy_edit.html",
        {"form": form, "current": current, "practice": practice},
    )


def _initial(current: Any) -> dict[str, str]:
    if current is None:
        return {}
    return {
        f: getattr(current, f)
        for f in ("phone", "contact", "complaints", "purposes", "extra")
    }


@login_not_required
@require_GET
def privacy_public(request: HttpRequest, practice_id: UUID) -> HttpResponse:
    """The published statement, for anyone, without login; names no client."""
    practice = get_object_or_404(Practice, pk=practice_id)
    # Before the zzp'er writes their part, what the ECD knows is shown already: the portal
    # links here from the first day, and a client's rights do not wait for a text.
    statement = practice.privacy_statements.first()
    used = set(
        Dossier.objects.filter(practice=practice).values_list("legal_basis", flat=True)
    )
    grounds = [label for value, label in LegalBasis.choices if value in used]
    return render(
        request,
        "practice/privacy_public.html",
        {"practice": practice, "statement": statement, "grounds": grounds},
    )


def _subcontract_of(
    request: HttpRequest, dossier_id: UUID
) -> tuple[Access, Subcontract | None]:
    """Only the client's own zorgverlener: 404 to anyone else, logged either way."""
    access = dossier_for(
        request,
        dossier_id,
        part="subcontract",
        bases=(Basis.OWN,),
        write=request.method == "POST",
    )
    return access, Subcontract.objects.filter(client=access.client).first()


@require_http_methods(["GET", "POST"])
def subcontract_edit(
    request: AuthenticatedHttpRequest, dossier_id: UUID
) -> HttpResponse:
    access, existing = _subcontract_of(request, dossier_id)
    form = SubcontractForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        services.subcontract_save(
            access=access, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("De afspraak met de opdrachtgever is vastgelegd."))
        return redirect("practice:subcontract", dossier_id=dossier_id)
    return render(
        request,
        "practice/subcontract.html",
        {
            "form": form,
            "client": access.client,
            "dossier": access.dossier,
            "subcontract": existing,
            "checks": existing.checks.all() if existing else [],
        },
    )


@require_http_methods(["GET", "POST"])
def principal_check(
    request: AuthenticatedHttpRequest, dossier_id: UUID
) -> HttpResponse:
    access, subcontract = _subcontract_of(request, dossier_id)
    if subcontract is None:
        messages.error(request, _("Leg eerst de afspraak met de opdrachtgever vast."))
        return redirect("practice:subcontract", dossier_id=dossier_id)
    form = PrincipalCheckForm(
        request.POST or None, initial={"checked_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        services.principal_check_add(
            subcontract=subcontract,
            actor=request.user,
            checked_on=form.cleaned_data["checked_on"],
            items=form.items(),
        )
        messages.success(request, _("De controle van het dossier is vastgelegd."))
        return redirect("practice:subcontract", dossier_id=dossier_id)
    return render(
        request,
        "practice/principal_check.html",
        {
            "form": form,
            "client": access.client,
            "dossier": access.dossier,
            "subcontract": subcontract,
        },
    )
