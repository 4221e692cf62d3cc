"""Every URL × every role × GET and POST against one table. Deny by default: a URL
without a row fails the test, and so does a row for a URL that no longer exists.

Codes: A 200 · L 302 to login · R 302 elsewhere · F 403 · N 404 · M 405.
"""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from audit.models import AccessEvent
from tests.personas import verified_login
from tests.routes import all_routes
from tests.world import make_world

ACTORS = [
    "anon",
    "owner",
    "other_zzp",
    "colleague",
    "colleague_expired",
    "colleague_revoked",
    "client_self",
    "client_other",
    "inspector",
    "inspector_out_of_scope",
    "inspector_expired",
    "staff",
]

# route: (GET row, POST row), one letter per actor in the order above.
# fmt: off
MATRIX = {
    "home":                             ("LRRRRRRRRRLR", "LMMMMMMMFFLM"),
    "status":                           ("AAAAAAAAAAAA", "MMMMMMMMFFMM"),
    "accounts:login":                   ("ARRRRRRRRRAR", "ARRRRRRRFFAR"),
    "accounts:logout":                  ("LMMMMMMMMMLM", "LLLLLLLLLLLL"),
    "accounts:otp_verify":              ("LAAAAAAAAALA", "LAAAAAAAAALA"),
    "accounts:otp_setup":               ("LRRRRRRRRRLR", "LRRRRRRRRRLR"),
    "accounts:otp_qr":                  ("LNNNNNNNNNLN", "LMMMMMMMMMLM"),
    "accounts:session_list":            ("LAAAAAAAAALA", "LMMMMMMMFFLM"),
    "accounts:session_end_others":      ("LMMMMMMMMMLM", "LRRRRRRRFFLR"),
    "accounts:password_change":         ("LAAAAAAAAALA", "LAAAAAAAFFLA"),
    "accounts:password_reset":          ("AAAAAAAAAAAA", "AAAAAAAAAAAA"),
    "accounts:password_reset_done":     ("AAAAAAAAAAAA", "MMMMMMMMMMMM"),
    "accounts:password_reset_confirm":  ("AAAAAAAAAAAA", "AAAAAAAAAAAA"),
    "dossiers:client_list":             ("LAAAAAFFAALF", "LAAAAAFFAALF"),
    "dossiers:client_create":           ("LAAAAAFFFFLF", "LAAAAAFFFFLF"),
    "dossiers:client_edit":             ("LANNNNNNNNLN", "LANNNNNNFFLN"),
    "dossiers:dossier_create":          ("LRNNNNNNNNLN", "LRNNNNNNFFLN"),
    "dossiers:dossier_detail":          ("LANANNANANLN", "LMMMMMMMFFLM"),
    "dossiers:dossier_edit":            ("LANNNNNNNNLN", "LANNNNNNFFLN"),
    "dossiers:entry_create":            ("LANNNNNNNNLN", "LANNNNNNFFLN"),
    "dossiers:entry_edit":              ("LANNNNNNNNLN", "LANNNNNNFFLN"),
    "dossiers:attachment_create":       ("LANNNNNNNNLN", "LANNNNNNFFLN"),
    "dossiers:attachment_download":     ("LANANNANANLN", "LMMMMMMMFFLM"),
    "audit:dossier_log":                ("LANNNNNNANLN", "LMMMMMMMFFLM"),
    "audit:dossier_log_csv":            ("LANNNNNNANLN", "LMMMMMMMFFLM"),
    "consent:grant_list":               ("LANNNNFFFFLF", "LANNNNFFFFLF"),
    "consent:grant_revoke":             ("LMMMMMFFFFLF", "LRNNNNFFFFLF"),
    "consent:mandate_list":             ("LAAAAAFFFFLF", "LAAAAAFFFFLF"),
    "portal:home":                      ("LFFFFFAAFFLF", "LFFFFFMMFFLF"),
    "portal:who_saw":                   ("LFFFFFAAFFLF", "LFFFFFMMFFLF"),
    "portal:statement_create":          ("LFFFFFAAFFLF", "LFFFFFAAFFLF"),
    "portal:requests":                  ("LFFFFFAAFFLF", "LFFFFFAAFFLF"),
    "portal:grants":                    ("LFFFFFAAFFLF", "LFFFFFMMFFLF"),
    "portal:grant_revoke":              ("LFFFFFMMFFLF", "LFFFFFRNFFLF"),
    "portal:invitation_accept":         ("NNNNNNNNNNNN", "NNNNNNNNNNNN"),
    "portal:invite":                    ("LANNNNFFFFLF", "LANNNNFFFFLF"),
    "portal:request_queue":             ("LAAAAAFFFFLF", "LMMMMMFFFFLF"),
    "portal:request_decide":            ("LANNNNFFFFLF", "LANNNNFFFFLF"),
    "dossiers:export_json":             ("LANNNNANNNLN", "LMMMMMMMFFLM"),
    "dossiers:export_fhir":             ("LANNNNANNNLN", "LMMMMMMMFFLM"),
    "dossiers:export_pdf":              ("LANNNNANNNLN", "LANNNNANFFLN"),
    "dossiers:export_job":              ("LANNNNANNNLN", "LMMMMMMMFFLM"),
    "dossiers:export_download":         ("LANNNNANNNLN", "LMMMMMMMFFLM"),
    "dossiers:retention_list":          ("LAAAAAFFFFLF", "LMMMMMFFFFLF"),
    "dossiers:destruction_list":        ("LAAAAAFFFFLF", "LMMMMMFFFFLF"),
    "dossiers:retention_extend":        ("LANNNNNNNNLN", "LANNNNNNFFLN"),
    "practice:readiness":               ("LAAAAAFFAALF", "LMMMMMFFFFLF"),
    "practice:readiness_pdf":           ("LAAAAAFFAALF", "LMMMMMFFFFLF"),
    "practice:privacy_edit":            ("LAAAAAFFFFLF", "LAAAAAFFFFLF"),
    "practice:privacy_public":          ("AAAAAAAAAAAA", "MMMMMMMMFFMM"),
    "practice:subcontract":             ("LANNNNNNNNLN", "LANNNNNNFFLN"),
    "practice:principal_check":         ("LRNNNNNNNNLN", "LRNNNNNNFFLN"),
    "dossiers:restriction":             ("LANNNNNNNNLN", "LANNNNNNFFLN"),
    "dossiers:destroy":                 ("LANNNNNNNNLN", "LANNNNNNFFLN"),
    "dossiers:entry_history":           ("LANNNNNNNNLN", "LMMMMMMMFFLM"),
    "dossiers:dossier_history":         ("LANNNNNNNNLN", "LMMMMMMMFFLM"),
    "notifications:portal_preferences": ("LFFFFFAAFFLF", "LFFFFFRRFFLF"),
    "notifications:account_preferences":("LAAAAAFFFFLF", "LRRRRRFFFFLF"),
}
# fmt: on


def test_the_matrix_covers_every_url_pattern() -> None:
    names = {route.name for route in all_routes()}
    assert names == set(MATRIX), (
        f"missing: {names - set(MATRIX)}, stale: {set(MATRIX) - names}"
    )
    assert all(len(get) == len(post) == len(ACTORS) for get, post in MATRIX.values())


def outcome(response) -> str:
    if response.status_code == 302:
        path = response["Location"].split("?")[0]
        return "L" if path == reverse("accounts:login") else "R"
    return {200: "A", 403: "F", 404: "N", 405: "M"}.get(
        response.status_code, str(response.status_code)
    )


@pytest.mark.parametrize("method", ["get", "post"])
def test_every_url_role_and_method_gives_the_expected_outcome(method: str) -> None:
    world = make_world()
    failures = []
    for route in all_routes():
        url = route.url(world.samples)
        expected_row = MATRIX[route.name][0 if method == "get" else 1]
        for actor_name, expected in zip(ACTORS, expected_row, strict=True):
            http = HttpClient()
            actor = world.actors[actor_name]
            if actor is not None:
                verified_login(http, actor)
            before = AccessEvent.objects.filter(outcome="denied").count()
            got = outcome(getattr(http, method)(url))
            if got != expected:
                failures.append(
                    f"{method.upper()} {route.name} as {actor_name}: expected {expected}, got {got}"
                )
            elif _denial_unlogged(got, actor_name, before):
                failures.append(
                    f"{method.upper()} {route.name} as {actor_name}: denial not logged"
                )
    assert not failures, "\n".join(failures)


def _denial_unlogged(got: str, actor_name: str, before: int) -> bool:
    """A 403 or 404 for a signed-in actor must have written a denied event."""
    if got not in "FN" or actor_name == "anon" or actor_name.endswith("expired"):
        return False
    return AccessEvent.objects.filter(outcome="denied").count() <= before
