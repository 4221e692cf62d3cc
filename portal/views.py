"""The client's portal, and the zorgverlener's side of invitations and rights requests."""

from __future__ import annotations

import contextlib
from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.backends import AccountBackend
from accounts.http import AuthenticatedHttpRequest
from accounts.middleware import second_factor_not_required
from accounts.models import Role
from accounts.roles import caregiver_required, roles_required
from audit.models import Action, Basis, EventType, Outcome
from audit.services import record
from consent import invitations
from consent.access import representatives_shown_to
from consent.forms import InviteForm
from consent.models import AccessGrant
from consent.services import grant_revoke
from dossiers.access import (
    ACTING_FOR,
    SEVERAL,
    client_for,
    deny,
    log_list,
    own_record_for,
    portal_choices,
    row_in,
)
from dossiers.models import Attachment
from dossiers.selectors import corrections, dossier_page
from dossiers.who_saw import in_words, lines_of
from keystore import crypto
from portal import services
from portal.forms import (
    AcceptInvitationForm,
    DecisionForm,
    PeriodForm,
    RightsRequestForm,
    StatementForm,
)
from portal.models import RightsRequest

client_required = roles_required(Role.CLIENT)
LINES_PER_PAGE = (
    25  # who-saw-what: one screen on a phone, and a page renders in a few ms
)


@client_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Inzage (WGBO 7:456): the whole record the zorgverlener sees, with its corrections."""
    access = own_record_for(request, part="dossier")
    context = dossier_page(access, request.GET.get("pagina"))
    context["corrections"] = corrections(access)
    return render(request, "portal/home.html", context)


@client_required
@require_GET
def attachment(request: HttpRequest, attachment_id: UUID) -> HttpResponse:
    """One attachment of the client's own record, opened in the browser; each a logged read."""
    return _attachment_response(request, attachment_id, disposition="inline")


@client_required
@require_GET
def attachment_download(request: HttpRequest, attachment_id: UUID) -> HttpResponse:
    return _attachment_response(request, attachment_id, disposition="attachment")


def _attachment_response(
    request: HttpRequest, attachment_id: UUID, *, disposition: str
) -> HttpResponse:
    access = own_record_for(request, part="attachment", object_id=attachment_id)
    rows = Attachment.objects.filter(dossier_id=access.dossier.pk)
    item = row_in(request, access, rows, attachment_id, part="attachment")
    response = HttpResponse(item.content, content_type=item.content_type)
    # The type was checked on the content at upload (PDF, JPEG or PNG only), so opening
    # it in the browser ("inline") shows a document or picture, never a page that runs.
    response["Content-Disposition"] = f'{disposition}; filename="{item.filename}"'
    return response


@client_required
@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest) -> HttpResponse:
    """For whom the portal works now: a representative of several clients, or a client who
    also represents someone, picks one; the session remembers it and every portal page
    decides it again (`own_record_for`)."""
    choices = portal_choices(request.user)
    if request.method == "POST":
        wanted = request.POST.get("client", "")
        chosen = next((a for a in choices if str(a.client.pk) == wanted), None)
        if chosen is None:
            raise deny(
                request, client=None, part="client", object_id=wanted[:64], write=False
            )
        request.session[ACTING_FOR] = str(chosen.client.pk)
        return redirect("portal:home")
    request.session[SEVERAL] = len(choices) > 1  # the menu's "Iemand anders kiezen"
    if len(choices) == 1:  # nothing to choose (any other candidate is not valid now)
        request.session[ACTING_FOR] = str(choices[0].client.pk)
        return redirect("portal:home")
    log_list(
        request, part="client", count=len(choices), event_type=EventType.PORTAL_CHOOSE
    )
    return render(request, "portal/choose.html", {"choices": choices})


@client_required
@require_GET
def who_saw(request: HttpRequest) -> HttpResponse:
    access = own_record_for(request, part="accesslog")
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data if form.is_valid() else {}
    rows = lines_of(access.client.pk, period.get("since"), period.get("until"))
    paginator: Paginator[dict[str, Any]] = Paginator(rows, LINES_PER_PAGE)
    page = paginator.get_page(request.GET.get("pagina"))
    lines = in_words(list(page), viewer_id=request.user.pk)
    return render(
        request, "portal/who_saw.html", {"form": form, "page": page, "lines": lines}
    )


@client_required
@require_http_methods(["GET", "POST"])
def statement_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    access = own_record_for(request, part="ownstatement")
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.statement_add(
            access=access,
            actor=request.user,
            text=form.cleaned_data["text"],
        )
        messages.success(request, _("Uw verklaring is aan uw dossier toegevoegd."))
        return redirect("portal:home")
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("Eigen verklaring toevoegen")},
    )


@client_required
@require_http_methods(["GET", "POST"])
def requests(request: AuthenticatedHttpRequest) -> HttpResponse:
    access = own_record_for(request, part="rightsrequest")
    form = RightsRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_file(
            access=access,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            request,
            _("Uw verzoek is ingediend. U ziet hier het besluit zodra het er is."),
        )
        return redirect("portal:requests")
    filed = RightsRequest.objects.filter(client=access.client).order_by("-filed_at")
    return render(request, "portal/requests.html", {"form": form, "filed": filed})


@client_required
@require_GET
def grants(request: HttpRequest) -> HttpResponse:
    access = own_record_for(request, part="accessgrant")
    rows = (
        AccessGrant.objects.filter(client=access.client)
        .select_related("colleague")
        .order_by("-created_at")
    )
    return render(
        request,
        "portal/grants.html",
        {"grants": rows, "representatives": representatives_shown_to(access)},
    )


@client_required
@require_POST
def grant_revoke_view(
    request: AuthenticatedHttpRequest, grant_id: UUID
) -> HttpResponse:
    access = own_record_for(request, part="accessgrant")
    grants = AccessGrant.objects.filter(client=access.client)
    grant = row_in(request, access, grants, grant_id, part="accessgrant")
    grant_revoke(actor=request.user, grant=grant, access=access)
    messages.success(request, _("De toegang is ingetrokken."))
    return redirect("portal:grants")


@login_not_required
@second_factor_not_required
@require_GET
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the mail: its token goes into the session (as a hash) and the
    browser moves on to a page without it, so no later URL or Referer carries it."""
    invitations.remember(request, token)
    return redirect("portal:invitation_accept")


@login_not_required
@second_factor_not_required
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest) -> HttpResponse:
    # Long because accepting handles the invalid, link-to-account, form and sign-in paths of
    # one screen.
    hashed = invitations.remembered(request)
    try:
        invitation = invitations.invitation_for(hashed)
    except invitations.InvitationInvalid as invalid:
        return _invitation_invalid(request, invalid.reason)
    if invitation.representation_id and _signed_in_portal_user(request):
        # A signed-in portal user (checked just above): an AuthenticatedHttpRequest.
        return _link_representation(cast(AuthenticatedHttpRequest, request), hashed)
    form = AcceptInvitationForm(request.POST or None, account=invitation.account)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept(
                hashed=hashed,
                username=form.cleaned_data.get("username", ""),
                password=form.cleaned_data["password1"],
            )
        except invitations.InvitationInvalid as invalid:
            return _invitation_invalid(request, invalid.reason)
        except IntegrityError:  # the username was taken a moment ago
            form.add_error("username", _("Deze gebruikersnaam is al in gebruik."))
        else:
            invitations.forget(request)
            if not AccountBackend().user_can_authenticate(user):
                messages.success(
                    request,
                    _(
                        "Uw wachtwoord is ingesteld. U kunt inloggen zodra uw mandaat ingaat."
                    ),
                )
                return redirect("accounts:login")
            login(request, user, backend="accounts.backends.AccountBackend")
            return redirect("accounts:otp_setup")
    title = (
        _("Welkom bij uw cliëntportaal")
        if invitation.client_id
        else _("Welkom bij het ECD")
    )
    return render(
        request,
        "portal/invitation_accept.html",
        {"form": form, "title": title, "account": invitation.account},
    )


def _invitation_invalid(request: HttpRequest, reason: str) -> HttpResponse:
    record(
        actor=request.user,
        action=Action.EXECUTE,
        event_type=EventType.INVITATION_INVALID,
        outcome=Outcome.DENIED,
        object_type="invitation",
        detail=reason,
    )
    status = 404 if reason == "unknown" else 410
    return render(
        request, "portal/invitation_invalid.html", {"reason": reason}, status=status
    )


def _signed_in_portal_user(request: HttpRequest) -> bool:
    user = request.user
    return bool(getattr(user, "is_client", False) and user.is_verified())  # type: ignore[union-attr]


def _link_representation(
    request: AuthenticatedHttpRequest, hashed: str
) -> HttpResponse:
    """A representative invitation opened while signed in: link it to this account."""
    if request.method == "POST":
        try:
            invitations.link_representation(hashed=hashed, user=request.user)
        except invitations.InvitationInvalid as invalid:
            return _invitation_invalid(request, invalid.reason)
        invitations.forget(request)
        messages.success(
            request, _("U kunt nu ook namens deze cliënt het portaal gebruiken.")
        )
        return redirect("portal:choose")
    return render(request, "portal/invitation_link.html")


@caregiver_required
@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedHttpRequest, client_id: UUID) -> HttpResponse:
    access = client_for(
        request, client_id, write=True, part="invitation", bases=(Basis.OWN,)
    )
    form = InviteForm(
        request.POST or None,
        initial={"email": access.client.email},
        label=_("e-mailadres van de cliënt"),
    )
    sent = False
    if request.method == "POST" and form.is_valid():
        # Over the hourly limit nothing is sent (and that is logged); the page is the same.
        with contextlib.suppress(services.InvitationLimited):
            services.invitation_create(
                actor=request.user,
                client=access.client,
                email=form.cleaned_data["email"],
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        sent = True
    context = {
        "form": form,
        "sent": sent,
        "client": access.client,
        "title": _("Uitnodigen voor het portaal"),
    }
    return render(request, "portal/invite.html", context)


@caregiver_required
@require_GET
def request_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    rows = list(
        RightsRequest.objects.filter(practice=user.practice)
        .select_related("client")
        .order_by("status", "deadline")
    )
    crypto.load_data_keys(r.client.key_ref for r in rows)  # names are encrypted (#26)
    log_list(
        request,
        part="rightsrequest",
        count=len(rows),
        event_type=EventType.RIGHTSREQUEST_LIST,
    )
    return render(request, "portal/request_queue.html", {"requests": rows})


@caregiver_required
@require_http_methods(["GET", "POST"])
def request_decide(request: AuthenticatedHttpRequest, request_id: UUID) -> HttpResponse:
    # Long because the decision screen handles the form, the conflict and the answer in one
    # place.
    user = request.user
    item = RightsRequest.objects.filter(pk=request_id).first()
    if item is None:
        raise deny(
            request, client=None, part="rightsrequest", object_id=request_id, write=True
        )
    # Deciding is not processing the health data: allowed on a restricted dossier too.
    access = client_for(
        request,
        item.client_id,
        write=True,
        part="rightsrequest",
        bases=(Basis.OWN,),
        processing=False,
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_decide(
                actor=user,
                request=item,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except services.AlreadyDecided as done:
            messages.warning(
                request,
                _(
                    "Over dit verzoek is al besloten (%(status)s); dat besluit blijft staan."
                )
                % {"status": done.request.get_status_display()},
            )
        else:
            messages.success(
                request, _("Besluit vastgelegd; de cliënt ziet het in het portaal.")
            )
        return redirect("portal:request_queue")
    return render(
        request,
        "portal/request_decide.html",
        {"form": form, "item": item, "client": access.client},
    )
