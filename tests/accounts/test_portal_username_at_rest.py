"""#26: a portal client's username is stored as a keyed digest: the client signs in, is
counted and locked out under the name they chose, while no column or axes row holds it."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient

from accounts.forms import NewUsernameField
from accounts.models import Role, portal_login_name
from tests.accounts.helpers import password_login
from tests.personas import Cast, make_user

CHOSEN = "zofia-kwakkel-77"


def test_the_client_signs_in_and_is_locked_out_by_the_chosen_name(cast: Cast) -> None:
    client = make_user(portal_login_name(CHOSEN), Role.CLIENT, None)
    assert client.username != CHOSEN
    # Signs in with the chosen name (the second factor comes next).
    assert password_login(HttpClient(), CHOSEN).status_code == 302
    # Failures count under the digest, and lock the account from that address.
    attacker = HttpClient()
    statuses = [
        password_login(attacker, CHOSEN, "fout-fout-fout", ip="10.6.6.6").status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    rows = [*AccessAttempt.objects.values(), *AccessLog.objects.values()]
    assert rows and CHOSEN not in str(rows)
    assert AccessAttempt.objects.filter(username=client.username).exists()


def test_a_chosen_name_is_taken_once_in_either_form(cast: Cast) -> None:
    make_user(portal_login_name(CHOSEN), Role.CLIENT, None)
    field = NewUsernameField()
    for name in (CHOSEN, "anna"):  # a client's name as chosen; a colleague's in clear
        with pytest.raises(ValidationError, match="al in gebruik"):
            field.clean(name)
    assert field.clean("nog-vrij") == "nog-vrij"
