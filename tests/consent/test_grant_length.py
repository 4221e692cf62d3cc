"""A grant to a colleague lasts at most a year (issue 28); renewing means a new grant."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from consent.models import AccessGrant
from consent.services import grant_create
from tests.consent.test_grants import grant_form
from tests.personas import Cast


def test_an_end_date_in_9999_is_refused_with_a_dutch_message(
    cast: Cast, as_user
) -> None:
    """The form refuses an endless grant, keeps what was typed and says why in Dutch:
    9999-12-31 fails the plausible date range (#31), 400 days the one-year limit."""
    url = reverse("consent:grant_list", args=[cast.dossier.pk])
    response = as_user(cast.anna).post(url, grant_form(valid_until="9999-12-31"))
    assert response.status_code == 200
    assert "Vul een datum in tussen" in response.content.decode()
    later = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    response = as_user(cast.anna).post(url, grant_form(valid_until=later))
    assert response.status_code == 200
    assert "hoogstens een jaar" in response.content.decode()
    assert "formulier in map" in response.content.decode()
    assert not AccessGrant.objects.exists()


def test_a_year_is_accepted(cast: Cast, as_user) -> None:
    """Exactly a year (365 days) is still allowed."""
    end = timezone.localdate() + datetime.timedelta(days=365)
    url = reverse("consent:grant_list", args=[cast.dossier.pk])
    as_user(cast.anna).post(url, grant_form(valid_until=end.isoformat()))
    assert AccessGrant.objects.get().valid_until == end


def test_the_service_refuses_a_grant_longer_than_a_year(cast: Cast) -> None:
    """The limit holds for every caller of grant_create, not only the form."""
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        grant_create(
            actor=cast.anna,
            client=cast.dossier.client,
            colleague=cast.dirk,
            data={
                "valid_from": today,
                "valid_until": today + datetime.timedelta(days=400),
                "consent_given_on": today,
                "consent_method": "schriftelijk",
            },
        )
    assert not AccessGrant.objects.exists()
