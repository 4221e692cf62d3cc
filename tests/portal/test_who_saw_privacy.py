"""A client's denied attempt on another client's dossier never names that client to the
owner of the dossier ("een andere portaalgebruiker"); the zorgverlener's log keeps the name."""

from django.urls import reverse

from accounts.models import Role
from dossiers.models import Client
from tests.personas import Cast, make_user, register_client_with_dossier


def eva_tries_brams_dossier(cast: Cast, as_user) -> None:
    # A portal account carries no name (#26): Eva's name is on her client record.
    eva = make_user("eva", Role.CLIENT, None)
    record = register_client_with_dossier(
        cast.anna, given_names="Eva", name_prefix="", family_name="Klaassen"
    )
    Client.objects.filter(pk=record.client_id).update(portal_user=eva)
    response = as_user(eva).get(
        reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
    )
    assert response.status_code in (403, 404)


def test_the_owner_sees_another_portal_user_not_the_name(cast: Cast, as_user) -> None:
    """Bram's who-saw-what shows Eva's denied attempt without her name or role."""
    eva_tries_brams_dossier(cast, as_user)
    html = as_user(cast.bram).get(reverse("portal:who_saw")).content.decode()
    assert "een andere portaalgebruiker probeerde" in html
    assert "Eva" not in html and "Klaassen" not in html


def test_the_caregivers_log_keeps_the_full_identity(cast: Cast, as_user) -> None:
    """Anna's log of the dossier names Eva: the zorgverlener must be able to act on it."""
    eva_tries_brams_dossier(cast, as_user)
    html = (
        as_user(cast.anna)
        .get(reverse("audit:dossier_log", args=[cast.dossier.pk]))
        .content.decode()
    )
    assert "Eva Klaassen" in html


def test_a_folded_line_shows_the_first_and_last_time(cast: Cast, as_user) -> None:
    """Several reads on one day fold into one line that says from when until when."""
    import datetime

    from django.utils import timezone

    from audit.services import record_many
    from tests.audit.helpers import event

    day = timezone.localdate() - datetime.timedelta(days=1)
    moments = [
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(h, 5)))
        for h in (9, 17)
    ]
    record_many(str(cast.dossier.practice_id), [event(cast, when) for when in moments])
    html = as_user(cast.bram).get(reverse("portal:who_saw")).content.decode()
    assert "tussen 09:05 en 17:05" in html
