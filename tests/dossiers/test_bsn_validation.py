"""BSN: 9 digits (8 padded with a zero) passing the elfproef."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from dossiers.validators import is_valid_bsn, normalise_bsn, validate_agb, validate_bsn


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "12345672"])
def test_it_accepts_valid_bsns(bsn: str) -> None:
    validate_bsn(bsn)


@pytest.mark.parametrize(
    "bsn", ["123456789", "000000000", "12345678a", "1234567", "1234567890", "١٢٣٤٥٦٧٨٢"]
)
def test_it_rejects_invalid_bsns(bsn: str) -> None:
    with pytest.raises(ValidationError):
        validate_bsn(bsn)


def test_it_pads_eight_digits_with_a_leading_zero() -> None:
    assert normalise_bsn("12345672") == "012345672"


def test_elfproef_message_is_dutch() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_bsn("123456789")
    assert "elfproef" in exc.value.messages[0]


@st.composite
def valid_bsns(draw: st.DrawFn) -> str:
    digits = draw(st.lists(st.integers(0, 9), min_size=8, max_size=8))
    total = sum(w * d for w, d in zip(range(9, 1, -1), digits, strict=True))
    last = total % 11
    if last == 10 or (not any(digits) and last == 0):
        digits[0] = (digits[0] + 1) % 10
        total = sum(w * d for w, d in zip(range(9, 1, -1), digits, strict=True))
        last = total % 11
    if last == 10:
        digits[1] = (digits[1] + 1) % 10
        total = sum(w * d for w, d in zip(range(9, 1, -1), digits, strict=True))
        last = total % 11
    return "".join(map(str, digits)) + str(last)


@pytest.mark.django_db(databases=[])
@given(valid_bsns(), st.integers(0, 8), st.integers(1, 9))
def test_every_single_digit_mutation_of_a_valid_bsn_fails(
    bsn: str, position: int, delta: int
) -> None:
    if not is_valid_bsn(bsn):  # the rare drawn number that cannot be fixed up
        return
    digits = list(bsn)
    digits[position] = str((int(digits[position]) + delta) % 10)
    assert not is_valid_bsn("".join(digits))


@pytest.mark.parametrize("agb", ["1234567", "123456789", "1234567a", ""])
def test_agb_code_must_be_eight_digits(agb: str) -> None:
    with pytest.raises(ValidationError):
        validate_agb(agb)
