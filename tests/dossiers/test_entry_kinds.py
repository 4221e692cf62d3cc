"""One table of entry kinds (dossiers.entries.KINDS) drives every place that must know a kind:
change history, destruction, exports, the dossier page, the portal's log. A kind left out of
any of them fails here."""

import datetime
from typing import Any

import pytest
from auditlog.registry import auditlog
from django.apps import apps

from dossiers import exports, lifecycle, services
from dossiers.entries import KINDS, OTHER_CONTENT, EntryKind
from dossiers.lifecycle import DestructionGround
from dossiers.models import Dossier, DossierEntry
from dossiers.selectors import dossier_page
from portal.log import PARTS
from tests.personas import Cast, owner_access

TODAY = datetime.date(2026, 3, 2)


def sample(slug: str, made: dict[str, DossierEntry]) -> dict[str, Any]:
    """Data for one entry of each kind, each linked to the kinds above it."""
    return {
        "doelen": lambda: {"description": "Zelf douchen"},
        "behandelingen": lambda: {
            "title": "Douchetraining",
            "proposed_on": TODAY,
            "goals": [made["doelen"]],
        },
        "overleg": lambda: {
            "held_on": TODAY,
            "minutes": "Besproken",
            "treatments": [made["behandelingen"]],
        },
        "toestemmingen": lambda: {
            "treatment": made["behandelingen"],
            "given_on": TODAY,
            "method": "mondeling",
            "given_by": "De cliënt",
        },
        "zorgmomenten": lambda: {
            "date": TODAY,
            "start_time": datetime.time(9),
            "end_time": datetime.time(10),
            "activities": "Douchen",
            "results": "Goed",
            "goals": [made["doelen"]],
        },
        "ervaringen": lambda: {"recorded_on": TODAY, "text": "Fijn"},
    }[slug]()


def fill_every_kind(cast: Cast) -> dict[str, DossierEntry]:
    made: dict[str, DossierEntry] = {}
    for kind in KINDS.values():
        made[kind.slug] = services.entry_add(
            access=owner_access(cast.dossier),
            actor=cast.anna,
            model=kind.model,
            data=sample(kind.slug, made),
        )
    return made


def test_every_kind_of_entry_is_in_the_table() -> None:
    concrete = {
        model
        for model in apps.get_models()
        if issubclass(model, DossierEntry) and not model._meta.abstract
    }
    assert concrete == {k.model for k in KINDS.values()} | set(OTHER_CONTENT)


@pytest.mark.parametrize("kind", KINDS.values(), ids=lambda k: k.slug)
def test_each_kind_is_known_to_history_portal_log_and_export(kind: EntryKind) -> None:
    assert kind.model in auditlog._registry
    assert kind.model._meta.model_name in PARTS
    assert kind.name in exports.DossierExport.__dataclass_fields__


@pytest.mark.parametrize("kind", KINDS.values(), ids=lambda k: k.slug)
def test_a_kind_refers_only_to_kinds_above_it(kind: EntryKind) -> None:
    """Destruction deletes in reverse table order; that only works this way round."""
    above = [k.model for k in KINDS.values()][: list(KINDS).index(kind.slug)]
    targets = {
        f.related_model
        for f in kind.model._meta.get_fields()
        if (f.many_to_many or f.many_to_one) and not f.auto_created
    }
    kinds = {k.model for k in KINDS.values()}
    assert targets & kinds <= set(above)


def test_page_export_and_destruction_each_reach_every_kind(cast: Cast) -> None:
    made = fill_every_kind(cast)
    page = dossier_page(owner_access(cast.dossier), 1)
    for kind in KINDS.values():
        entry = made[kind.slug]
        if kind.on_page == "list":
            assert page[kind.name] == [entry]
        elif kind.on_page == "paged":
            assert list(page["page"].object_list) == [entry]
        else:
            treatment = page["treatments"][0]
            assert list(treatment.consents.all()) == [entry]
    collected = exports.collect(cast.dossier.client, issued_by=cast.anna)
    for kind in KINDS.values():
        assert getattr(collected, kind.name) == [made[kind.slug]], kind.slug
    Dossier.objects.filter(pk=cast.dossier.pk).update(
        last_changed_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    )
    lifecycle.dossier_destroy(
        access=owner_access(cast.dossier),
        actor=cast.anna,
        ground=DestructionGround.TERM_EXPIRED,
        request_ref=None,
    )
    for kind in KINDS.values():
        assert not kind.model._base_manager.filter(dossier_id=cast.dossier.pk).exists()
