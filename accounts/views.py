from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.sessions.models import Session
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import FormView
from django_otp import devices_for_user

from accounts import otp, passkeys, reset
from accounts.forms import PasswordResetByIndexForm, TokenForm
from accounts.http import AuthenticatedHttpRequest
from accounts.middleware import second_factor_not_required
from accounts.models import UserSession
from audit.models import Action, EventType, Outcome
from audit.services import record
from ecd.mail import after_response


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@method_decorator(second_factor_not_required, name="dispatch")
class LogoutView(auth_views.LogoutView):
    def post(
        self, request: HttpRequest, *args: object, **kwargs: object
    ) -> HttpResponse:
        if request.session.session_key:
            UserSession.objects.filter(session_key=request.session.session_key).delete()
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(reverse_lazy("home"))


@second_factor_not_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.verify(request, form.cleaned_data["token"]):
            return redirect(_next(request))
        form.add_error(
            "token",
            _("Deze code klopt niet of is al gebruikt. Probeer de volgende code."),
        )
    user = request.user
    context = {
        "form": form,
        "next": _next(request),
        "passkey": passkeys.has_passkey(user) and passkeys.available(request),
        "codes": otp.has_code_app(user) or otp.backup_codes_left(user) > 0,
    }
    if context["passkey"]:
        context["passkey_config"] = passkeys.script_config(request)
    return render(request, "accounts/otp_verify.html", context)


def _has_second_factor(user: object) -> bool:

    return any(True for _ in devices_for_user(user, confirmed=True))


@second_factor_not_required
@require_GET
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Choose a second factor: a passkey on this phone or computer (recommended, one button),
    or a code app. Nothing is created here; a passkey is made when the button is pressed."""
    if _has_second_factor(request.user):
        # Adding another one happens on the account page, after the current second factor.
        verified = request.user.is_verified()  # type: ignore[union-attr]
        return redirect("accounts:security" if verified else "accounts:otp_verify")
    context = {
        "passkey": passkeys.available(request),
        "passkey_config": passkeys.script_config(request),
        "passkey_next": reverse("home"),
    }
    return render(request, "accounts/second_factor_setup.html", context)


@second_factor_not_required
@require_http_methods(["GET", "POST"])
def totp_setup(request: HttpRequest) -> HttpResponse:
    if _has_second_factor(request.user) and not request.user.is_verified():  # type: ignore[union-attr]
        # Adding an app to an account with a second factor needs that factor first.
        return redirect("accounts:otp_verify")
    device = (
        otp.pending_totp_device(request)
        if request.method == "POST"
        else otp.start_totp_enrolment(request)
    )
    if device is None:
        return redirect("accounts:totp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = otp.confirm_totp(request, device, form.cleaned_data["token"])
        if codes is not None:
            return render(request, "accounts/backup_codes.html", {"codes": codes})
        form.add_error(
            "token",
            _(
                "Deze code klopt niet. Controleer de tijd op uw telefoon en probeer opnieuw."
            ),
        )
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/otp_setup.html", {"form": form, "secret": secret})


@second_factor_not_required
@require_GET
def otp_qr(request: HttpRequest) -> HttpResponse:
    device = otp.pending_totp_device(request)
    if device is None:  # no secret without an enrolment this session asked for
        record(
            actor=request.user,
            action=Action.READ,
            event_type=EventType.OTP_QR,
            outcome=Outcome.DENIED,
            object_type="user",
            practice_id=getattr(request.user, "practice_id", None),
        )
        raise Http404
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@require_GET
def security(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The account's ways to sign in: passkeys (add one here), the code app, backup codes."""
    user = request.user
    context = {
        "passkeys": passkeys.passkeys_of(user),
        "passkey": passkeys.available(request),
        "passkey_config": passkeys.script_config(request),
        "passkey_next": reverse("accounts:security"),
        "code_app": otp.has_code_app(user),
        "codes_left": otp.backup_codes_left(user),
    }
    return render(request, "accounts/security.html", context)


@require_POST
def backup_codes_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    codes = otp.new_backup_codes(request)
    record(
        actor=user,
        action=Action.CREATE,
        event_type=EventType.OTP_BACKUP_CODES,
        object_type="staticdevice",
        practice_id=getattr(user, "practice_id", None),
    )
    return render(request, "accounts/backup_codes.html", {"codes": codes})


@require_POST
def passkey_remove(request: HttpRequest, passkey_id: int) -> HttpResponse:
    if passkeys.remove(request, passkey_id):
        messages.success(request, _("Het apparaat is verwijderd."))
    else:
        messages.error(
            request,
            _(
                "Dit is uw enige telefoon of computer om mee in te loggen. Voeg eerst een "
                "ander apparaat of een code-app toe; daarna kunt u dit verwijderen."
            ),
        )
    return redirect("accounts:security")


@require_GET
def backup_codes_download(request: HttpRequest) -> HttpResponse:
    """The backup codes just made, as a .txt file: only in the session that made them,
    for a few minutes (accounts.otp.CODES_DOWNLOAD_SECONDS), and never cached."""
    codes = otp.recent_backup_codes(request)
    record(
        actor=request.user,
        action=Action.READ,
        event_type=EventType.OTP_BACKUP_CODES_DOWNLOAD,
        outcome=Outcome.SUCCESS if codes else Outcome.DENIED,
        object_type="staticdevice",
        practice_id=getattr(request.user, "practice_id", None),
    )
    if not codes:
        raise Http404
    body = render_to_string(
        "accounts/backup_codes.txt", {"codes": codes, "made": timezone.localtime()}
    )
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ecd-reservecodes.txt"'
    response["Cache-Control"] = "no-store, private, max-age=0"
    return response


@require_GET
def session_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    live = Session.objects.filter(expire_date__gt=timezone.now()).values_list(
        "session_key", flat=True
    )
    user = request.user
    sessions = UserSession.objects.filter(user=user, session_key__in=live).order_by(
        "-created_at"
    )
    context = {"sessions": sessions, "current": request.session.session_key}
    return render(request, "accounts/session_list.html", context)


@require_POST
def session_end_others(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = request.session.session_key
    others = UserSession.objects.filter(user=request.user).exclude(session_key=current)
    keys = list(others.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    others.delete()
    record(
        actor=request.user,
        action=Action.EXECUTE,
        event_type=EventType.SESSION_END_OTHERS,
        detail=str(len(keys)),
        practice_id=getattr(request.user, "practice_id", None),
    )
    messages.success(request, _("Uw andere sessies zijn beëindigd."))
    return redirect("accounts:session_list")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/form_page.html"
    success_url = reverse_lazy("accounts:session_list")
    extra_context = {"title": _("Wachtwoord wijzigen")}

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        record(
            actor=self.request.user,
            action=Action.UPDATE,
            event_type=EventType.PASSWORD_CHANGE,
            object_type="user",
            practice_id=getattr(self.request.user, "practice_id", None),
        )
        messages.success(
            self.request,
            _("Uw wachtwoord is gewijzigd; andere sessies zijn beëindigd."),
        )
        return response


@method_decorator([login_not_required, second_factor_not_required], name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """The same answer, in the same time, for every address: the look-up and the mail
    happen after the response (accounts.reset)."""

    form_class = PasswordResetByIndexForm
    template_name = "accounts/form_page.html"
    email_template_name = "emails/password-reset-body.txt"
    subject_template_name = "emails/password-reset-subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_context = {"title": _("Wachtwoord vergeten")}

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        options = {
            "domain_override": self.request.get_host(),
            "use_https": self.request.is_secure(),
            "subject_template_name": self.subject_template_name,
            "email_template_name": self.email_template_name,
        }
        after_response(lambda: form.save(**options))
        return redirect(self.get_success_url())


@method_decorator([login_not_required, second_factor_not_required], name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/message.html"
    extra_context = {
        "title": _("Kijk in uw e-mail"),
        "text": _(
            "Als er een account bij dit e-mailadres hoort, ontvangt u een link om een nieuw wachtwoord in te "
            "stellen. De link werkt één keer en één uur lang. Komt er niets aan? Kijk in de map met "
            "ongewenste e-mail, of vraag over een uur een nieuwe link aan."
        ),
    }


@login_not_required
@second_factor_not_required
@require_GET
def password_reset_confirm(
    request: HttpRequest, uidb64: str, token: str
) -> HttpResponse:
    """The link from the mail: uid and token go into the session and the browser moves on
    to a page without them, so no later URL or Referer carries the token."""
    reset.remember(request, uidb64, token)
    return redirect("accounts:password_reset_new")


@method_decorator(
    [
        login_not_required,
        second_factor_not_required,
        sensitive_post_parameters("new_password1", "new_password2"),
    ],
    name="dispatch",
)
class PasswordResetNewView(FormView):  # type: ignore[type-arg]
    form_class = SetPasswordForm
    template_name = "accounts/form_page.html"
    success_url = reverse_lazy("accounts:login")
    extra_context = {"title": _("Nieuw wachtwoord instellen")}
    http_method_names = ["get", "post"]

    def dispatch(
        self, request: HttpRequest, *args: object, **kwargs: object
    ) -> HttpResponseBase:
        self.user, state = reset.link_state(request)
        if state != reset.VALID:
            return _dead_reset_link(request, state)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, object]:
        return {**super().get_form_kwargs(), "user": self.user}

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        if not reset.spend(self.request):  # a second tab used it a moment ago
            return _dead_reset_link(self.request, reset.USED)
        form.save()

        axes_reset(username=form.user.get_username())  # the documented unlock path
        record(
            actor=form.user,
            action=Action.UPDATE,
            event_type=EventType.PASSWORD_RESET,
            object_type="user",
            practice_id=getattr(form.user, "practice_id", None),
        )  # also restarts the per-account failure count (accounts.backends)
        messages.success(
            self.request,
            _("Uw wachtwoord is ingesteld. Log in; daarna vraagt het ECD uw code."),
        )
        return super().form_valid(form)


def _dead_reset_link(request: HttpRequest, state: str) -> HttpResponse:
    record(
        actor=request.user,
        action=Action.EXECUTE,
        event_type=EventType.PASSWORD_RESET_LINK,
        outcome=Outcome.DENIED,
        object_type="user",
        detail=state,
        practice_id=getattr(request.user, "practice_id", None),
    )
    return render(
        request,
        "accounts/reset_link_dead.html",
        {"state": state},
        status=404 if state == reset.UNKNOWN else 410,
    )


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "is_client", False):
        return redirect("portal:home")
    return redirect("dossiers:client_list")
