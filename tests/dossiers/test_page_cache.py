"""The dossier page's cached body (dossiers/page_cache.py) never hides a write or a right.

Every way to change what the page shows goes through `services.log_write`, which moves the
dossier's revision; the next view shows the change. A cache hit still checks access and still
logs the read. Readers with other rights never share a body, and the body stays in process
memory.
"""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessEvent
from dossiers import lifecycle, services
from dossiers.access import Access
from dossiers.models import CareMoment, Dossier, Goal, Treatment, TreatmentConsent
from portal import services as portal_services
from tests.personas import Cast, owner_access
from tests.world import _grant

MARK = "Kenmerk-7731"


def _moment(cast: Cast, access: Access) -> Any:
    return services.entry_add(
        access=access,
        actor=cast.anna,
        model=CareMoment,
        data={
            "date": datetime.date(2026, 3, 2),
            "start_time": datetime.time(9),
            "end_time": datetime.time(10),
            "activities": "wassen",
            "results": "",
        },
    )


def _consent(cast: Cast, access: Access) -> Any:
    treatment = services.entry_add(
        access=access,
        actor=cast.anna,
        model=Treatment,
        data={"title": "fysiotherapie", "proposed_on": datetime.date(2026, 3, 1)},
    )
    return services.entry_add(
        access=owner_access(cast.dossier),
        actor=cast.anna,
        model=TreatmentConsent,
        data={
            "treatment": treatment,
            "given_on": datetime.date(2026, 3, 1),
            "method": "mondeling",
            "given_by": "de cliënt zelf",
        },
    )


# name: (set-up before the first view, the write, what the page shows afterwards)
WRITES: dict[str, tuple[Callable[..., Any], Callable[..., Any], str]] = {
    "goal added": (
        lambda cast, a: None,
        lambda cast, a, made: services.entry_add(
            access=a, actor=cast.anna, model=Goal, data={"description": MARK}
        ),
        MARK,
    ),
    "care moment corrected": (
        _moment,
        lambda cast, a, made: services.entry_update(
            access=a,
            actor=cast.anna,
            entry=made,
            data={"activities": MARK},
            expected_version=made.version,
            reason="typfout",
        ),
        MARK,
    ),
    "consent withdrawn": (
        _consent,
        lambda cast, a, made: services.consent_withdraw(
            access=a,
            actor=cast.anna,
            consent=made,
            withdrawn_on=datetime.date(2026, 3, 5),
            note="wil het niet meer",
            expected_version=made.version,
        ),
        "ingetrokken 5 maart 2026",
    ),
    "client details corrected": (
        lambda cast, a: None,
        lambda cast, a, made: services.client_update(
            access=a,
            actor=cast.anna,
            data={"family_name": MARK},
            expected_version=a.client.version,
        ),
        MARK,
    ),
    "diagnosis changed": (
        lambda cast, a: None,
        lambda cast, a, made: services.dossier_update(
            access=a,
            actor=cast.anna,
            data={"diagnosis": MARK},
            expected_version=a.dossier.version,
        ),
        MARK,
    ),
    "retention extended": (
        lambda cast, a: None,
        lambda cast, a, made: lifecycle.retention_extend(
            access=a, actor=cast.anna, until=datetime.date(2080, 1, 1), reason=MARK
        ),
        "1 januari 2080",
    ),
    "processing restricted": (
        lambda cast, a: None,
        lambda cast, a, made: lifecycle.restriction_set(
            access=a, actor=cast.anna, restricted=True, reason="betwist"
        ),
        "Verwerking beperkt sinds",
    ),
    "client's own statement": (
        lambda cast, a: None,
        lambda cast, a, made: portal_services.statement_add(
            access=Access(client=a.client, basis="self"), actor=cast.bram, text=MARK
        ),
        MARK,
    ),
    "attachment added": (
        lambda cast, a: None,
        lambda cast, a, made: services.attachment_add(
            access=a,
            actor=cast.anna,
            title=MARK,
            content=b"%PDF-1.4 test",
            content_type="application/pdf",
        ),
        MARK,
    ),
}


@pytest.mark.parametrize("name", WRITES)
def test_a_write_shows_on_the_next_view(cast: Cast, as_user, name: str) -> None:
    prepare, write, shown = WRITES[name]
    made = prepare(cast, owner_access(cast.dossier))
    http = as_user(cast.anna)
    url = reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
    assert shown not in http.get(url).content.decode()
    before = Dossier.objects.get(pk=cast.dossier.pk).revision

    write(cast, owner_access(cast.dossier), made)

    assert Dossier.objects.get(pk=cast.dossier.pk).revision > before
    assert shown in http.get(url).content.decode()


def _view_queries(http, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert http.get(url).status_code == 200
    return len(captured)


def test_a_hit_skips_the_record_but_not_the_access_check_or_the_log(
    cast: Cast, as_user
) -> None:
    http = as_user(cast.anna)
    url = reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
    http.get(url)  # the session's first request records its start
    caches["dossier_pages"].clear()
    miss = _view_queries(http, url)
    reads = AccessEvent.objects.filter(
        dossier_id=cast.dossier.pk, event_type="dossier.view"
    ).count()
    hit = _view_queries(http, url)
    assert hit < miss
    assert (
        AccessEvent.objects.filter(
            dossier_id=cast.dossier.pk, event_type="dossier.view"
        ).count()
        == reads + 1
    )
    # Someone without access gets the 404, even while the body is in the cache.
    http.logout()
    assert as_user(cast.carla).get(url).status_code == 404


def test_readers_with_other_rights_do_not_share_a_body(cast: Cast, as_user) -> None:
    _grant(cast, cast.dirk)  # read-only, with the client's consent
    url = reverse("dossiers:dossier_detail", args=[cast.dossier.pk])
    edit = reverse("dossiers:dossier_edit", args=[cast.dossier.pk])
    assert edit in as_user(cast.anna).get(url).content.decode()
    as_dirk = as_user(cast.dirk).get(url).content.decode()
    assert edit not in as_dirk
    assert "Toegang via toestemming van de cliënt" in as_dirk


def test_a_stale_full_save_never_moves_the_revision_back(cast: Cast) -> None:
    stale = Dossier.objects.get(pk=cast.dossier.pk)
    services.entry_add(
        access=owner_access(cast.dossier),
        actor=cast.anna,
        model=Goal,
        data={"description": "doel"},
    )
    moved = Dossier.objects.get(pk=cast.dossier.pk).revision
    stale.practitioner_profession = "wijkverpleegkundige"
    stale.save()
    assert Dossier.objects.get(pk=cast.dossier.pk).revision == moved


def test_the_cache_stays_in_process_memory() -> None:
    backend = settings.CACHES["dossier_pages"]["BACKEND"]
    assert backend == "django.core.cache.backends.locmem.LocMemCache"
    assert settings.CACHES["dossier_pages"]["TIMEOUT"] <= 300
