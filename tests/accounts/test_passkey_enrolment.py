"""A passkey is registered only after the password step in the same session, by the user's
own request; with a second factor already, only after using it (issue 28)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential, WebAuthnUserHandle

from audit.models import AccessEvent
from consent.models import InspectorMandate
from tests.accounts.helpers import current_code, device_for, password_login
from tests.passkeys import SoftPasskey, phone, post_json
from tests.personas import Cast

BEGIN = reverse("accounts:passkey_register_begin")
COMPLETE = reverse("accounts:passkey_register_complete")


def test_without_the_password_step_nothing_is_registered(cast: Cast) -> None:
    http = phone()
    begin = post_json(http, BEGIN)
    assert begin.status_code == 302 and begin["Location"].startswith(
        reverse("accounts:login")
    )
    key = SoftPasskey()
    forged = key.register({"challenge": "AAAA"})
    assert post_json(http, COMPLETE, forged).status_code == 302
    assert not WebAuthnCredential.objects.exists()
    assert not WebAuthnUserHandle.objects.exists()


def test_after_the_password_step_one_button_sets_up_the_passkey(cast: Cast) -> None:
    http = phone()
    password_login(http, "bram")
    page = http.get(reverse("accounts:otp_setup"))
    assert page.status_code == 200 and page.context["passkey"]
    assert "Inloggen met uw telefoon instellen" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=cast.bram).exists()  # no secret made

    options = post_json(http, BEGIN).json()
    assert options["rp"]["id"] == "localhost"
    assert options["user"]["name"] == "bram"  # no client name on the phone
    before = http.cookies["sessionid"].value
    done = post_json(http, COMPLETE, SoftPasskey().register(options))
    assert done.status_code == 200, done.content
    assert (
        WebAuthnCredential.objects.filter(user=cast.bram, confirmed=True).count() == 1
    )
    assert http.cookies["sessionid"].value != before  # a new session id after the step
    assert http.get(reverse("portal:home")).status_code == 200  # second factor passed
    assert AccessEvent.objects.filter(
        event_type="otp.setup", actor_id=cast.bram.pk, object_type="webauthncredential"
    ).exists()


def test_begun_in_one_session_it_cannot_be_completed_in_another(cast: Cast) -> None:
    first = phone()
    password_login(first, "bram")
    options = post_json(first, BEGIN).json()
    other = phone()
    password_login(other, "bram", ip="10.4.4.4")
    refused = post_json(other, COMPLETE, SoftPasskey().register(options))
    assert refused.status_code == 400
    assert not WebAuthnCredential.objects.exists()
    assert AccessEvent.objects.filter(
        event_type="otp.setup.failed", actor_id=cast.bram.pk, outcome="denied"
    ).exists()


def test_the_password_alone_cannot_add_a_passkey_next_to_a_code_app(
    cast: Cast,
) -> None:
    """Whoever knows only the password cannot slip in a passkey of their own."""
    device = device_for(cast.anna)
    http = phone()
    password_login(http, "anna")
    refused = post_json(http, BEGIN)
    assert refused.status_code == 403
    assert "tweede stap" in refused.json()["detail"]
    assert not WebAuthnCredential.objects.exists()
    # After the code, adding one is fine (from the account page).
    http.post(reverse("accounts:otp_verify"), {"token": current_code(device)})
    options = post_json(http, BEGIN).json()
    assert post_json(http, COMPLETE, SoftPasskey().register(options)).status_code == 200
    assert WebAuthnCredential.objects.filter(user=cast.anna).count() == 1


def test_starting_a_passkey_discards_an_unconfirmed_code_app_secret(
    cast: Cast,
) -> None:
    http = phone()
    password_login(http, "bram")
    http.get(reverse("accounts:totp_setup"))
    assert TOTPDevice.objects.filter(user=cast.bram, confirmed=False).exists()
    post_json(http, BEGIN)
    assert not TOTPDevice.objects.filter(user=cast.bram).exists()
    assert http.get(reverse("accounts:otp_qr")).status_code == 404


def test_the_answer_must_come_from_our_own_origin(cast: Cast) -> None:
    http = phone()
    password_login(http, "bram")
    options = post_json(http, BEGIN).json()
    phished = SoftPasskey(origin="https://ecd-inloggen.example").register(options)
    assert post_json(http, COMPLETE, phished).status_code == 422
    assert not WebAuthnCredential.objects.exists()


@pytest.mark.parametrize("username", ["anna", "bram", "ingrid", "dirk"])
def test_every_role_can_set_up_a_passkey(cast: Cast, username: str) -> None:
    """Zorgverlener, client, inspector (read-only everywhere else) and colleague."""
    if username == "ingrid":  # an inspector signs in only during a mandate
        InspectorMandate.objects.create(
            practice_id=cast.anna.practice_id,
            inspector=cast.ingrid,
            case_reference="IGJ-2026-001",
            valid_from=timezone.now() - datetime.timedelta(hours=1),
            valid_until=timezone.now() + datetime.timedelta(days=14),
            created_by=cast.anna,
        )
    http = phone()
    password_login(http, username)
    options = post_json(http, BEGIN).json()
    assert post_json(http, COMPLETE, SoftPasskey().register(options)).status_code == 200
    assert WebAuthnCredential.objects.filter(user__username=username).count() == 1
    assert http.get(reverse("accounts:security")).status_code == 200
