"""Common passwords: Django's list plus the 30,000 most frequent Dutch words, not a hand list."""

import pytest
from django.contrib.auth.password_validation import (
    get_default_password_validators,
    validate_password,
)
from django.core.exceptions import ValidationError

from accounts.validators import CommonDutchPasswordValidator
from tests.personas import Cast


def test_the_lists_are_real_lists_not_a_hand_full() -> None:
    validator = CommonDutchPasswordValidator()
    assert len(validator.passwords) > 45_000
    assert {"password1", "qwertyuiop"} <= validator.passwords  # Django's list
    assert {"verpleegkundige", "wachtwoord", "welkom"} <= validator.passwords  # Dutch
    names = [type(v).__name__ for v in get_default_password_validators()]
    assert "CommonDutchPasswordValidator" in names


@pytest.mark.parametrize(
    "password",
    [
        "Verpleegkundige",  # one Dutch word, long enough on its own
        "Welkom2026!",  # word with digits and a sign around it
        "!!Gezondheidszorg99",
        "zorgzorgzorg",  # one word said again
        "Thuiszorg123456",
        "qwertyuiop12",  # Django's list, after the digits come off
    ],
)
def test_common_words_with_decoration_are_refused(cast: Cast, password: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=cast.anna)
    assert any(e.code == "password_too_common" for e in refused.value.error_list)
    assert "komt te veel voor" in " ".join(refused.value.messages)


@pytest.mark.parametrize(
    "password",
    [
        "verpleegkundige thuis op dinsdag",
        "Kaas-Fiets-Regen-7",
        "de kat zit 🐈 op de mat",
    ],
)
def test_a_phrase_of_several_words_passes(cast: Cast, password: str) -> None:
    validate_password(password, user=cast.anna)
