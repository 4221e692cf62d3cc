"""Passwords: length, common and product names refused; long passphrases work; Argon2id."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient

from tests.accounts.helpers import password_login
from tests.personas import Cast


@pytest.mark.parametrize(
    "password",
    ["Welkom01!", "kort-wachtw", "mijn-ecd-wachtwoord-2026", "PraktijkAnnaZorgt!"],
)
def test_weak_passwords_are_refused(cast: Cast, password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password, user=cast.anna)


def test_a_long_passphrase_with_spaces_and_emoji_works_byte_for_byte(
    cast: Cast,
) -> None:
    passphrase = "de kat zit 🐈 op de mat en kijkt naar de regen buiten, héél rustig"
    assert len(passphrase) >= 64
    validate_password(passphrase, user=cast.anna)  # no rule demands digits or capitals
    cast.anna.set_password(passphrase)
    cast.anna.save()
    assert password_login(HttpClient(), "anna", passphrase).status_code == 302
    assert (
        password_login(HttpClient(), "anna", passphrase[:-1], ip="10.0.0.2").status_code
        == 200
    )


def test_new_hashes_are_argon2id_with_strong_parameters(cast: Cast) -> None:
    cast.anna.set_password("een andere lange zin")
    algorithm, variant, _version, params, *_ = cast.anna.password.split("$")
    assert (algorithm, variant) == ("argon2", "argon2id")
    settings = dict(item.split("=") for item in params.split(","))
    assert int(settings["m"]) >= 19456 and int(settings["t"]) >= 2


def test_there_is_no_default_admin_account(django_user_model) -> None:
    assert not django_user_model.objects.filter(username="admin").exists()
    assert not django_user_model.objects.filter(is_superuser=True).exists()
