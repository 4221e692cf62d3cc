"""A passkey is a second factor like the code app: the middleware asks for it, and using it
opens the application; it never replaces the password (issue 28)."""

from django.urls import reverse

from audit.models import AccessEvent
from tests.accounts.helpers import password_login
from tests.passkeys import SoftPasskey, phone, post_json
from tests.personas import Cast

BEGIN = reverse("accounts:passkey_verify_begin")
COMPLETE = reverse("accounts:passkey_verify_complete")


def test_a_passkey_counts_as_the_second_factor_for_every_page(cast: Cast) -> None:
    key = SoftPasskey()
    key.stored_for(cast.anna)
    http = phone()
    password_login(http, "anna")
    detail = reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
    asked = http.get(detail)
    assert asked.status_code == 302 and asked["Location"] == reverse(
        "accounts:otp_verify"
    )  # not the setup page: the passkey is her second factor
    page = http.get(asked["Location"])
    assert page.context["passkey"] and not page.context["codes"]
    assert "Inloggen met dit apparaat" in page.content.decode()

    options = post_json(http, BEGIN).json()
    assert [c["id"] for c in options["allowCredentials"]]  # only her own passkeys
    before = http.cookies["sessionid"].value
    done = post_json(http, f"{COMPLETE}?next={detail}", key.sign_in(options))
    assert done.status_code == 200, done.content
    assert done.json()["redirect_url"] == detail
    assert http.cookies["sessionid"].value != before
    assert http.get(detail).status_code == 200
    assert AccessEvent.objects.filter(
        event_type="otp.verified",
        actor_id=cast.anna.pk,
        object_type="webauthncredential",
    ).exists()


def test_for_a_client_the_button_names_the_phone(cast: Cast) -> None:
    SoftPasskey().stored_for(cast.bram)
    http = phone()
    password_login(http, "bram")
    page = http.get(reverse("accounts:otp_verify"))
    assert "Inloggen met uw telefoon" in page.content.decode()


def test_a_passkey_never_replaces_the_password(cast: Cast) -> None:
    key = SoftPasskey()
    key.stored_for(cast.anna)
    http = phone()
    assert post_json(http, BEGIN).status_code == 302  # to the login page
    assert (
        post_json(http, COMPLETE, key.sign_in({"challenge": "AAAA"})).status_code == 302
    )
    assert http.get(reverse("dossiers:client_list"))["Location"].startswith(
        reverse("accounts:login")
    )


def test_someone_elses_passkey_is_refused_and_logged(cast: Cast) -> None:
    SoftPasskey().stored_for(cast.anna)
    carla_key = SoftPasskey()
    carla_key.stored_for(cast.carla)
    http = phone()
    password_login(http, "anna")
    options = post_json(http, BEGIN).json()
    refused = post_json(http, COMPLETE, carla_key.sign_in(options))
    assert refused.status_code == 403
    assert "hoort niet bij uw account" in refused.json()["detail"]
    assert http.get(reverse("dossiers:client_list"))["Location"] == reverse(
        "accounts:otp_verify"
    )
    assert AccessEvent.objects.filter(
        event_type="otp.failed", actor_id=cast.anna.pk, outcome="denied"
    ).exists()


def test_an_answer_is_accepted_once(cast: Cast) -> None:
    key = SoftPasskey()
    key.stored_for(cast.anna)
    http = phone()
    password_login(http, "anna")
    options = post_json(http, BEGIN).json()
    answer = key.sign_in(options)
    assert post_json(http, COMPLETE, answer).status_code == 200
    other = phone()
    password_login(other, "anna", ip="10.5.5.5")
    post_json(other, BEGIN)
    assert post_json(other, COMPLETE, answer).status_code in (400, 422)
    assert other.get(reverse("dossiers:client_list"))["Location"] == reverse(
        "accounts:otp_verify"
    )


def test_codes_stay_an_alternative_next_to_a_passkey(cast: Cast) -> None:
    from tests.accounts.helpers import current_code, device_for

    SoftPasskey().stored_for(cast.anna)
    device = device_for(cast.anna)
    http = phone()
    password_login(http, "anna")
    page = http.get(reverse("accounts:otp_verify"))
    assert page.context["passkey"] and page.context["codes"]
    http.post(reverse("accounts:otp_verify"), {"token": current_code(device)})
    assert http.get(reverse("dossiers:client_list")).status_code == 200
