"""A new account (inspector, portal client) never takes a username that is in use."""

import pytest

from consent.forms import MandateForm
from portal.forms import AcceptInvitationForm
from tests.personas import Cast


@pytest.mark.parametrize("form_class", [AcceptInvitationForm, MandateForm])
def test_a_taken_username_gets_a_dutch_error(cast: Cast, form_class) -> None:
    kwargs = {"practice_id": cast.anna.practice_id} if form_class is MandateForm else {}
    form = form_class({"username": "  anna "}, **kwargs)
    assert not form.is_valid()
    assert form.errors["username"] == ["Deze gebruikersnaam is al in gebruik."]


def test_a_free_username_is_kept_stripped(cast: Cast) -> None:
    form = AcceptInvitationForm({"username": "  nieuw.account "})
    form.is_valid()
    assert "username" not in form.errors
    assert form.cleaned_data["username"] == "nieuw.account"


@pytest.mark.parametrize("username", ["met spatie", "<script>", "anna@x", "émile"])
def test_a_username_is_letters_digits_dot_underscore_dash(
    cast: Cast, username: str
) -> None:
    """Invited usernames hold only letters, digits and . _ -; others get a Dutch error."""
    form = AcceptInvitationForm({"username": username})
    assert not form.is_valid()
    assert any("alleen uit letters" in e for e in form.errors["username"])
