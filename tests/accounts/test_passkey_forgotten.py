"""A destroyed client's portal account keeps no passkey: the credential (its public key and
attestation) and the WebAuthn user handle go with the other second factors (#26, #28)."""

from django.urls import reverse
from django_otp_webauthn.models import (
    WebAuthnAttestation,
    WebAuthnCredential,
    WebAuthnUserHandle,
)

from dossiers.lifecycle import portal_account_forget
from tests.accounts.helpers import password_login
from tests.passkeys import SoftPasskey, phone, post_json
from tests.personas import Cast


def test_destruction_drops_the_passkey_and_its_user_handle(cast: Cast) -> None:
    http = phone()
    password_login(http, "bram")
    options = post_json(http, reverse("accounts:passkey_register_begin")).json()
    done = post_json(
        http,
        reverse("accounts:passkey_register_complete"),
        SoftPasskey().register(options),
    )
    assert done.status_code == 200
    assert WebAuthnAttestation.objects.filter(credential__user=cast.bram).exists()
    assert WebAuthnUserHandle.objects.filter(user=cast.bram).exists()

    portal_account_forget(cast.bram)

    assert not WebAuthnCredential.objects.filter(user=cast.bram).exists()
    assert not WebAuthnAttestation.objects.exists()
    assert not WebAuthnUserHandle.objects.filter(user=cast.bram).exists()
