"""Inzage (WGBO 7:456): the portal shows the whole record the zorgverlener sees.

The fields are walked from the model and entry definitions, not listed by hand: a field
added to a dossier model fails here until the portal shows it (or it is named below as
bookkeeping, with the reason)."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

from django.apps import apps
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import formats, translation

from accounts.models import User
from audit.models import AccessEvent
from dossiers.entries import KINDS
from dossiers.models import (
    Attachment,
    Client,
    Dossier,
    DossierEntry,
    OwnStatement,
)
from tests.personas import verified_login
from tests.world import fill_every_field, make_world

# Bookkeeping of every row, never a fact about the client: why each is not on a page.
NOT_SHOWN = {
    "id": "an opaque row id",
    "practice": "the owner of the row (the practice's name is on every portal page)",
    "key_ref": "which data key encrypts the row",
    "version": "the optimistic-locking counter",
    "created_at": "when the row was typed in (entries show their own date)",
    "updated_at": "when the row was last saved",
    "created_by": "who typed it in (the access log says who wrote what)",
    "dossier": "the record the entry belongs to",
    "client": "the client the record belongs to",
    "bsn_index": "a keyed hash of the BSN for the uniqueness check",
    "portal_user": "the client's own login",
    "revision": "the page cache's write counter",
    "last_changed_at": "the start of the retention term, shown as 'bewaren tot'",
    "content": "the file itself: opened by the 'Bekijken' and 'Downloaden' links",
    "content_type": "the file type, which the browser uses to open it",
    "treatment": "the consent is shown under its treatment",
}


def walked_models() -> list[type[models.Model]]:
    entry_models = [kind.model for kind in KINDS.values()]
    return [Client, Dossier, *entry_models, Attachment, OwnStatement]


def test_every_dossier_entry_model_is_walked() -> None:
    entries = {
        m
        for m in apps.get_app_config("dossiers").get_models()
        if issubclass(m, DossierEntry)
    }
    assert entries <= set(walked_models())


def walked_fields(model: type[models.Model]) -> list[Any]:
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return [f for f in fields if f.name not in NOT_SHOWN]


def shown_as(obj: Any, field: Any) -> list[str]:
    """How a value reads on a page: each string must appear in the page's text."""
    value = getattr(obj, field.name)
    if field.many_to_many:
        return [str(getattr(v, "title", "") or v.description) for v in value.all()]
    if field.choices:
        return [str(getattr(obj, f"get_{field.name}_display")())]
    if isinstance(value, User):
        return [value.display_name]
    if isinstance(value, datetime.datetime):
        return [formats.date_format(value.date(), "j F Y")]
    if isinstance(value, datetime.date):
        return [formats.date_format(value, "j F Y")]
    if isinstance(value, datetime.time):
        return [value.strftime("%H:%M")]
    if field.name == "size":
        return [str(filesizeformat(value)).replace("\xa0", " ")]
    return [str(value)]


def page_text(response: Any) -> str:
    """The visible text of <main>, tags stripped and spaces folded, as a person reads it."""
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    text = re.sub(r"<[^>]+>", " ", main)
    return re.sub(r"\s+", " ", html.unescape(text)).replace("\xa0", " ")


def shows(page: str, text: str) -> bool:
    """The value stands on the page as itself, not inside a longer word or number."""
    return re.search(rf"(?<!\w){re.escape(text)}(?!\w)", page) is not None


def rows_of(model: type[models.Model], dossier: Dossier) -> list[Any]:
    if model is Client:
        return [Client.objects.get(pk=dossier.client_id)]
    if model is Dossier:
        return [Dossier.objects.get(pk=dossier.pk)]
    return list(model._default_manager.filter(dossier=dossier))


def test_the_portal_shows_every_field_the_zorgverlener_sees(client) -> None:
    world = make_world()
    fill_every_field(world)
    dossier = world.cast.dossier
    anna_page = page_text(
        verified_login(client, world.cast.anna).get(
            reverse("dossiers:dossier_detail", args=[dossier.pk])
        )
    )
    client.logout()
    portal_page = page_text(
        verified_login(client, world.cast.bram).get(reverse("portal:home"))
    )

    missing, empty, walked = [], [], 0
    with translation.override("nl"):
        for model in walked_models():
            rows = rows_of(model, dossier)
            assert rows, f"the sample has no {model.__name__}"
            for field in walked_fields(model):
                walked += 1
                for row in rows:
                    if getattr(row, field.name) in (None, "") or (
                        field.many_to_many and not getattr(row, field.name).exists()
                    ):
                        empty.append(f"{model.__name__}.{field.name}")
                        continue
                    for text in shown_as(row, field):
                        if not shows(portal_page, text):
                            where = "also on" if shows(anna_page, text) else "not on"
                            missing.append(
                                f"{model.__name__}.{field.name}={text!r} ({where} the zorgverlener's page)"
                            )
    assert walked > 40
    assert empty == [], f"make the sample fill these fields: {empty}"
    assert missing == [], "\n".join(missing)
    # The zorgverlener's own page shows the same record (the comparison means something).
    assert "canary-behandeling-wondzorg" in anna_page


def test_the_portal_shows_each_correction_with_the_earlier_text_and_reason(
    client,
) -> None:
    world = make_world()
    history = fill_every_field(world)
    page = page_text(
        verified_login(client, world.cast.bram).get(reverse("portal:home"))
    )
    for text in [*history["earlier"], *history["reasons"]]:
        assert shows(page, text), text
    assert "Anna de Wit" in page


def test_the_portal_reading_is_logged_as_before(client) -> None:
    world = make_world()
    http = verified_login(client, world.cast.bram)
    assert http.get(reverse("portal:home")).status_code == 200
    event = AccessEvent.objects.filter(event_type="dossier.view").latest("occurred_at")
    assert event.basis == "self" and str(event.client_id) == str(
        world.cast.dossier.client_id
    )
