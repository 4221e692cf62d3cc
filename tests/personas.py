"""The people in every test: anna owns, bram is her client, carla has no access,
dirk is a colleague (grants come with the consent app), ingrid inspects."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password

from accounts.models import Practice, Role, User
from dossiers import services
from dossiers.access import Access
from dossiers.models import Client, Dossier

PASSWORD = "een lange zin als wachtwoord"


@functools.cache
def _password_hash() -> str:
    return make_password(PASSWORD)


def make_user(
    username: str, role: str, practice: Practice | None, **extra: Any
) -> User:
    first, _, last = extra.pop("name", username.title() + " Test").partition(" ")
    user = User(
        username=username,
        role=role,
        practice=practice,
        first_name=first,
        last_name=last,
        **extra,
    )
    user.password = _password_hash()
    user.save()
    return user


def client_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "given_names": "Bram",
        "name_prefix": "van",
        "family_name": "Dalen",
        "date_of_birth": datetime.date(1950, 5, 17),
        "funding": "wmo",
        "email": "bram@example.nl",
        "phone": "0612345678",
        "address": "Dorpsstraat 1, 1234 AB Ergens",
    }
    data.update(overrides)
    return data


def dossier_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "practitioner_name": "Anna de Wit",
        "practitioner_profession": "wijkverpleegkundige",
        "agb_code": "12345678",
        "legal_basis": "overeenkomst",
        "circumstances": "Woont alleen.",
        "diagnosis": "canary-diabetes-7f3a",
        "start_date": datetime.date(2026, 1, 5),
    }
    data.update(overrides)
    return data


def register_client_with_dossier(actor: User, **client_overrides: Any) -> Dossier:
    client = services.client_register(actor=actor, data=client_data(**client_overrides))
    access = Access(client=client, basis="own", can_write=True)
    return services.dossier_open(access=access, actor=actor, data=dossier_data())


def clients_named(family_name: str) -> list[Client]:
    """The clients with this family name. Names are encrypted (#26): found in memory."""
    from dossiers.clients import clients_with_family_name

    return clients_with_family_name(Client.objects.all(), family_name)


def client_named(family_name: str) -> Client:
    """The one client with this family name (as Client.objects.get(family_name=…) did)."""
    (client,) = clients_named(family_name)
    return Client.objects.get(pk=client.pk)


def owner_access(dossier: Dossier) -> Access:
    client = Client.objects.select_related("dossier").get(pk=dossier.client_id)
    return Access(client=client, basis="own", can_write=True)


@dataclass
class Cast:
    anna: User
    bram: User
    carla: User
    dirk: User
    ingrid: User
    dossier: Dossier  # anna's dossier for bram


def make_cast() -> Cast:
    practice_a = Practice.objects.create(name="Praktijk Anna")
    practice_c = Practice.objects.create(name="Praktijk Carla")
    practice_d = Practice.objects.create(name="Praktijk Dirk")
    anna = make_user(
        "anna", Role.CAREGIVER, practice_a, name="Anna de Wit", agb_code="12345678"
    )
    carla = make_user("carla", Role.CAREGIVER, practice_c, name="Carla Smit")
    dirk = make_user("dirk", Role.CAREGIVER, practice_d, name="Dirk Visser")
    bram = make_user("bram", Role.CLIENT, None, name="Bram Dalen")
    ingrid = make_user("ingrid", Role.INSPECTOR, None, name="Ingrid Jansen")
    dossier = register_client_with_dossier(anna)
    Client.objects.filter(pk=dossier.client_id).update(portal_user=bram)
    return Cast(
        anna=anna, bram=bram, carla=carla, dirk=dirk, ingrid=ingrid, dossier=dossier
    )


def verified_login(http: Any, user: User) -> Any:
    """Sign in as a user who has passed both steps (password and second factor)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    http.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    session = http.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return http
