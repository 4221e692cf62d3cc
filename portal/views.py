"""The client's portal, and the zorgverlener's side of invitations and rights requests."""

from __future__ import annotations

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

from accounts.middleware import second_factor_not_required
from accounts.models import Role, User
from accounts.roles import caregiver_required, roles_required
from audit.models import Action, Basis, Outcome
from audit.services import record
from consent.access import representatives_shown_to
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
from dossiers.selectors import dossier_page
from portal import services
from portal.forms import (
    AcceptInvitationForm,
    DecisionForm,
    InviteForm,
    PeriodForm,
    RightsRequestForm,
    StatementForm,
)
from portal.log import in_words, lines_of
from portal.models import RightsRequest

client_required = roles_required(Role.CLIENT)
LINES_PER_PAGE = (
    25  # who-saw-what: one screen on a phone, and a page renders in a few ms
)


@client_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    access = own_record_for(request, part="dossier")
    return render(
        request, "portal/home.html", dossier_page(access, request.GET.get("pagina"))
    )


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
    log_list(request, part="client", count=len(choices), event_type="portal.choose")
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
def statement_create(request: HttpRequest) -> HttpResponse:
    access = own_record_for(request, part="ownstatement")
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.statement_add(
            access=access,
            actor=cast(User, request.user),
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
def requests(request: HttpRequest) -> HttpResponse:
    access = own_record_for(request, part="rightsrequest")
    form = RightsRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_file(
            access=access,
            actor=cast(User, request.user),
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
def grant_revoke_view(request: HttpRequest, grant_id: UUID) -> HttpResponse:
    access = own_record_for(request, part="accessgrant")
    grants = AccessGrant.objects.filter(client=access.client)
    grant = row_in(request, access, grants, grant_id, part="accessgrant")
    grant_revoke(actor=cast(User, request.user), grant=grant, access=access)
    messages.success(request, _("De toegang is ingetrokken."))
    return redirect("portal:grants")


@login_not_required
@second_factor_not_required
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_for(token)
    except services.InvitationInvalid:
        record(
            actor=request.user,
            action=Action.EXECUTE,
            event_type="invitation.invalid",
            outcome=Outcome.DENIED,
            object_type="invitation",
        )
        return render(request, "portal/invitation_invalid.html", status=404)
    if invitation.representation_id and _signed_in_portal_user(request):
        return _link_representation(request, token)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except (services.InvitationInvalid, IntegrityError):
            return render(request, "portal/invitation_invalid.html", status=404)
        login(request, user, backend="accounts.backends.AccountBackend")
        return redirect("accounts:otp_setup")
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("Welkom bij uw cliëntportaal")},
    )


def _signed_in_portal_user(request: HttpRequest) -> bool:
    user = request.user
    return bool(getattr(user, "is_client", False) and user.is_verified())  # type: ignore[union-attr]


def _link_representation(request: HttpRequest, token: str) -> HttpResponse:
    """A representative invitation opened while signed in: link it to this account."""
    if request.method == "POST":
        try:
            services.invitation_link(token=token, user=cast(User, request.user))
        except services.InvitationInvalid:
            return render(request, "portal/invitation_invalid.html", status=404)
        messages.success(
            request, _("U kunt nu ook namens deze cliënt het portaal gebruiken.")
        )
        return redirect("portal:choose")
    return render(request, "portal/invitation_link.html")


@caregiver_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, client_id: UUID) -> HttpResponse:
    access = client_for(
        request, client_id, write=True, part="invitation", bases=(Basis.OWN,)
    )
    form = InviteForm(request.POST or None, initial={"email": access.client.email})
    link = None
    if request.method == "POST" and form.is_valid():
        _invitation, link = services.invitation_create(
            actor=cast(User, request.user),
            client=access.client,
            email=form.cleaned_data["email"],
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
    context = {
        "form": form,
        "link": link,
        "client": access.client,
        "title": _("Uitnodigen voor het portaal"),
    }
    return render(request, "portal/invite.html", context)


@caregiver_required
@require_GET
def request_queue(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    rows = (
        RightsRequest.objects.filter(practice=user.practice)
        .select_related("client")
        .order_by("status", "deadline")
    )
    log_list(request, part="rightsrequest", count=len(rows))
    return render(request, "portal/request_queue.html", {"requests": rows})


@caregiver_required
@require_http_methods(["GET", "POST"])
def request_decide(request: HttpRequest, request_id: UUID) -> HttpResponse:
    user = cast(User, request.user)
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
