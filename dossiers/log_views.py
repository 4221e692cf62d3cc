"""The access log of one dossier, for its zorgverlener (and an inspector in scope)."""

from __future__ import annotations

import csv
import datetime
from typing import Any
from uuid import UUID

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.labels import TIMES_ARE, Voice, describe, field_words, role_words
from audit.models import AccessEvent, Basis, EventType
from dossiers.access import Access, dossier_for
from dossiers.log_forms import EventFilterForm
from dossiers.who_saw import portal_account_names

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _log_access(
    request: HttpRequest, dossier_id: UUID, event_type: EventType
) -> Access:
    return dossier_for(
        request,
        dossier_id,
        part="accesslog",
        event_type=event_type,
        bases=(Basis.OWN, Basis.INSPECTOR),
    )


def filtered_events(access: Access, form: EventFilterForm) -> QuerySet[AccessEvent]:
    events = AccessEvent.objects.filter(client_id=access.client.pk).order_by(
        "-occurred_at", "-id"
    )
    if form.is_valid():
        data = form.cleaned_data
        tz = timezone.get_current_timezone()
        if data.get("since"):
            events = events.filter(
                occurred_at__gte=datetime.datetime.combine(
                    data["since"], datetime.time(), tz
                )
            )
        if data.get("until"):
            end = datetime.datetime.combine(
                data["until"] + datetime.timedelta(days=1), datetime.time(), tz
            )
            events = events.filter(occurred_at__lt=end)
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("outcome"):
            events = events.filter(outcome=data["outcome"])
    return events


@require_GET
def dossier_log(request: HttpRequest, dossier_id: UUID) -> HttpResponse:
    access = _log_access(request, dossier_id, EventType.ACCESSLOG_VIEW)
    form = EventFilterForm(request.GET or None)
    page = Paginator(filtered_events(access, form), 50).get_page(
        request.GET.get("pagina")
    )
    names = client_names(list(page))
    for event in page:
        event.actor_label = names.get(event.actor_id) or event.actor_name  # type: ignore[attr-defined]
        event.role_said = role_words(event.actor_role)  # type: ignore[attr-defined]
        event.said = said(event)  # type: ignore[attr-defined]
        event.fields_said = field_words(event.object_type, event.fields)  # type: ignore[attr-defined]
    context = {
        "access": access,
        "client": access.client,
        "dossier": access.dossier,
        "form": form,
        "page": page,
    }
    return render(request, "audit/dossier_log.html", context)


def said(event: AccessEvent) -> str:
    """What the event says in words, to the zorgverlener ("bekeek het dossier")."""
    return describe(
        event.event_type,
        event.outcome,
        object_type=event.object_type,
        action=event.action,
        recipient=event.recipient,
        voice=Voice.STAFF,
        by_self=event.actor_role == "client",
    )


def client_names(events: list[AccessEvent]) -> dict[Any, str]:
    """The zorgverlener's own log view names the portal accounts the log holds no name of."""
    return portal_account_names(
        {
            e.actor_id
            for e in events
            if e.actor_role == "client" and not e.actor_name and e.actor_id is not None
        }
    )


def csv_cell(value: Any) -> str:
    """A spreadsheet must never run a cell as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


@require_GET
def dossier_log_csv(request: HttpRequest, dossier_id: UUID) -> HttpResponse:
    # Long because it is the CSV's layout, column by column.
    access = _log_access(request, dossier_id, EventType.ACCESSLOG_EXPORT)
    events = filtered_events(access, EventFilterForm(request.GET or None))
    names = client_names(list(events.filter(actor_role="client", actor_name="")))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="toegangslog-{access.dossier_id}.csv"'
    )
    writer = csv.writer(response)
    header = [
        f"tijdstip ({TIMES_ARE})",
        "gebruiker",
        "rol",
        "AGB",
        "omschrijving",
        "handeling",
        "soort",
        "onderdeel",
        "velden",
        "uitkomst",
        "grondslag",
        "kenmerk grondslag",
        "zaaknummer",
        "adres",
        "verzoek",
    ]
    writer.writerow(header)
    for e in events.iterator(chunk_size=2000):
        row = [
            timezone.localtime(e.occurred_at).isoformat(timespec="seconds"),
            names.get(e.actor_id) or e.actor_name,
            e.actor_role,
            e.actor_agb,
            said(e),
            e.get_action_display(),
            e.event_type,
            e.object_type,
            " ".join(e.fields),
            e.get_outcome_display(),
            e.get_basis_display(),
            e.basis_ref,
            e.case_reference,
            e.source_ip,
            e.request_id,
        ]
        writer.writerow([csv_cell(v) for v in row])
    return response
