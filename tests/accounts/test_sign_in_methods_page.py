"""The account page Inlogmethoden: it lists the passkeys, adds a code app next to a passkey,
and makes backup codes (the fallback of a passkey-only account), only after the second
factor (issue 28)."""

from django.test import Client as HttpClient
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from audit.models import AccessEvent
from tests.accounts.helpers import password_login
from tests.passkeys import SoftPasskey, post_json
from tests.personas import Cast


def signed_in_with_passkey(user, username: str) -> HttpClient:
    key = SoftPasskey()
    key.stored_for(user)
    http = HttpClient(HTTP_HOST="localhost")
    password_login(http, username)
    options = post_json(http, reverse("accounts:passkey_verify_begin")).json()
    done = post_json(
        http, reverse("accounts:passkey_verify_complete"), key.sign_in(options)
    )
    assert done.status_code == 200
    return http


def test_the_page_lists_the_passkeys_and_offers_to_add_one(cast: Cast) -> None:
    http = signed_in_with_passkey(cast.bram, "bram")
    page = http.get(reverse("accounts:security"))
    assert len(page.context["passkeys"]) == 1 and page.context["passkey"]
    assert "Dit apparaat toevoegen" in page.content.decode()
    assert page.context["codes_left"] == 0


def test_backup_codes_for_a_passkey_account_work_once(cast: Cast) -> None:
    http = signed_in_with_passkey(cast.bram, "bram")
    codes = http.post(reverse("accounts:backup_codes_new")).context["codes"]
    assert len(codes) == 10
    assert AccessEvent.objects.filter(
        event_type="otp.backup_codes", actor_id=cast.bram.pk
    ).exists()
    again = http.post(reverse("accounts:backup_codes_new")).context["codes"]
    assert not set(codes) & set(again)  # the earlier ones stop working
    assert StaticToken.objects.filter(device__user=cast.bram).count() == 10
    phone_lost = HttpClient()
    password_login(phone_lost, "bram", ip="10.6.6.6")
    page = phone_lost.get(reverse("accounts:otp_verify"))
    assert page.context["codes"]  # the code field is there next to the passkey
    done = phone_lost.post(reverse("accounts:otp_verify"), {"token": again[0]})
    assert done.status_code == 302
    assert phone_lost.get(reverse("portal:home")).status_code == 200


def test_the_password_alone_makes_no_backup_codes(cast: Cast) -> None:
    SoftPasskey().stored_for(cast.bram)
    http = HttpClient()
    password_login(http, "bram")
    response = http.post(reverse("accounts:backup_codes_new"))
    assert response["Location"] == reverse("accounts:otp_verify")
    assert not StaticToken.objects.filter(device__user=cast.bram).exists()


def test_a_code_app_can_be_added_next_to_a_passkey(cast: Cast) -> None:
    http = signed_in_with_passkey(cast.anna, "anna")
    page = http.get(reverse("accounts:totp_setup"))
    assert page.status_code == 200 and page.context["secret"]
    assert http.get(reverse("accounts:otp_setup"))["Location"] == reverse(
        "accounts:security"
    )


def test_a_lost_phone_is_removed_but_never_the_last_second_factor(cast: Cast) -> None:
    from django_otp_webauthn.models import WebAuthnCredential

    http = signed_in_with_passkey(cast.bram, "bram")
    only = WebAuthnCredential.objects.get(user=cast.bram)
    kept = http.post(reverse("accounts:passkey_remove", args=[only.pk]), follow=True)
    assert "uw enige telefoon of computer" in kept.content.decode()
    assert WebAuthnCredential.objects.filter(pk=only.pk).exists()

    lost = SoftPasskey().stored_for(cast.bram)
    http.post(reverse("accounts:passkey_remove", args=[lost.pk]))
    assert not WebAuthnCredential.objects.filter(pk=lost.pk).exists()
    assert AccessEvent.objects.filter(
        event_type="otp.removed", actor_id=cast.bram.pk, outcome="success"
    ).exists()


def test_someone_elses_passkey_cannot_be_removed(cast: Cast) -> None:
    from django_otp_webauthn.models import WebAuthnCredential

    annas = SoftPasskey().stored_for(cast.anna)
    http = signed_in_with_passkey(cast.bram, "bram")
    response = http.post(reverse("accounts:passkey_remove", args=[annas.pk]))
    assert response.status_code == 404
    assert WebAuthnCredential.objects.filter(pk=annas.pk).exists()
    assert AccessEvent.objects.filter(
        event_type="otp.removed", actor_id=cast.bram.pk, outcome="denied"
    ).exists()
