"""Every URL × every role × GET and POST against one table. Deny by default: a URL
without a row fails the test, and so does a row for a URL that no longer exists.

Codes: A 200 · B 400 (a passkey answer without its begun ceremony) · L 302 to login ·
R 302 elsewhere · F 403 · N 404 · M 405.
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
    "representative",
    "parent_refused",
    "representative_expired",
]

# route: (GET row, POST row), one letter per actor in the order above.
# fmt: off
MATRIX = {
    "home":                             ("LRRRRRRRRRLRRRR", "LMMMMMMMFFLMMMM"),
    "status":                           ("AAAAAAAAAAAAAAA", "MMMMMMMMFFMMMMM"),
    "accounts:login":                   ("ARRRRRRRRRARRRR", "ARRRRRRRFFARRRR"),
    "accounts:logout":                  ("LMMMMMMMMMLMMMM", "LLLLLLLLLLLLLLL"),
    "accounts:otp_verify":              ("LAAAAAAAAALAAAA", "LAAAAAAAAALAAAA"),
    "accounts:otp_setup":               ("LRRRRRRRRRLRRRR", "LMMMMMMMMMLMMMM"),
    "accounts:otp_qr":                  ("LNNNNNNNNNLNNNN", "LMMMMMMMMMLMMMM"),
    "accounts:totp_setup":              ("LAAAAAAAAALAAAA", "LRRRRRRRRRLRRRR"),
    "accounts:passkey_register_begin":  ("LMMMMMMMMMLMMMM", "LAAAAAAAAALAAAA"),
    "accounts:passkey_register_complete": ("LMMMMMMMMMLMMMM", "LBBBBBBBBBLBBBB"),
    "accounts:passkey_verify_begin":    ("LMMMMMMMMMLMMMM", "LAAAAAAAAALAAAA"),
    "accounts:passkey_verify_complete": ("LMMMMMMMMMLMMMM", "LBBBBBBBBBLBBBB"),
    "accounts:passkey_messages":        ("AAAAAAAAAAAAAAA", "MMMMMMMMMMMMMMM"),
    "accounts:security":                ("LAAAAAAAAALAAAA", "LMMMMMMMFFLMMMM"),
    "accounts:backup_codes_new":        ("LMMMMMMMMMLMMMM", "LAAAAAAAFFLAAAA"),
    "accounts:passkey_remove":          ("LMMMMMMMMMLMMMM", "LRNNNNNNFFLNNNN"),
    "accounts:session_list":            ("LAAAAAAAAALAAAA", "LMMMMMMMFFLMMMM"),
    "accounts:session_end_others":      ("LMMMMMMMMMLMMMM", "LRRRRRRRFFLRRRR"),
    "accounts:password_change":         ("LAAAAAAAAALAAAA", "LAAAAAAAFFLAAAA"),
    "accounts:password_reset":          ("AAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAA"),
    "accounts:password_reset_done":     ("AAAAAAAAAAAAAAA", "MMMMMMMMMMMMMMM"),
    "accounts:password_reset_confirm":  ("RRRRRRRRRRRRRRR", "MMMMMMMMMMMMMMM"),
    "accounts:password_reset_new":      ("NNNNNNNNNNNNNNN", "NNNNNNNNNNNNNNN"),
    "accounts:backup_codes_download":   ("LNNNNNNNNNLNNNN", "LMMMMMMMFFLMMMM"),
    "dossiers:client_list":             ("LAAAAAFFAALFFFF", "LAAAAAFFAALFFFF"),
    "dossiers:client_create":           ("LAAAAAFFFFLFFFF", "LAAAAAFFFFLFFFF"),
    "dossiers:client_edit":             ("LANNNNNNNNLNNNN", "LANNNNNNFFLNNNN"),
    "dossiers:dossier_create":          ("LRNNNNNNNNLNNNN", "LRNNNNNNFFLNNNN"),
    "dossiers:dossier_detail":          ("LANANNRNANLNRNN", "LMMMMMMMFFLMMMM"),
    "dossiers:dossier_edit":            ("LANNNNNNNNLNNNN", "LANNNNNNFFLNNNN"),
    "dossiers:entry_create":            ("LANNNNNNNNLNNNN", "LANNNNNNFFLNNNN"),
    "dossiers:entry_edit":              ("LANNNNNNNNLNNNN", "LANNNNNNFFLNNNN"),
    "dossiers:attachment_create":       ("LANNNNNNNNLNNNN", "LANNNNNNFFLNNNN"),
    "dossiers:attachment_download":     ("LANANNRNANLNRNN", "LMMMMMMMFFLMMMM"),
    "audit:dossier_log":                ("LANNNNNNANLNNNN", "LMMMMMMMFFLMMMM"),
    "audit:dossier_log_csv":            ("LANNNNNNANLNNNN", "LMMMMMMMFFLMMMM"),
    "consent:grant_list":               ("LANNNNFFFFLFFFF", "LANNNNFFFFLFFFF"),
    "consent:grant_revoke":             ("LMMMMMFFFFLFFFF", "LRNNNNFFFFLFFFF"),
    "consent:mandate_list":             ("LAAAAAFFFFLFFFF", "LAAAAAFFFFLFFFF"),
    "consent:mandate_invite":           ("LMMMMMFFFFLFFFF", "LRNNNNFFFFLFFFF"),
    "consent:colleague_invite":         ("LAAAAAFFFFLFFFF", "LAAAAAFFFFLFFFF"),
    "portal:home":                      ("LFFFFFAAFFLFANN", "LFFFFFMMFFLFMMM"),
    "portal:attachment":                ("LFFFFFANFFLFANN", "LFFFFFMMFFLFMMM"),
    "portal:attachment_download":       ("LFFFFFANFFLFANN", "LFFFFFMMFFLFMMM"),
    "portal:who_saw":                   ("LFFFFFAAFFLFANN", "LFFFFFMMFFLFMMM"),
    "portal:statement_create":          ("LFFFFFAAFFLFANN", "LFFFFFAAFFLFANN"),
    "portal:requests":                  ("LFFFFFAAFFLFANN", "LFFFFFAAFFLFANN"),
    "portal:grants":                    ("LFFFFFAAFFLFANN", "LFFFFFMMFFLFMMM"),
    "portal:grant_revoke":              ("LFFFFFMMFFLFMMM", "LFFFFFRNFFLFRNN"),
    "portal:invitation_open":           ("RRRRRRRRRRRRRRR", "MMMMMMMMMMMMMMM"),
    "portal:invitation_accept":         ("NNNNNNNNNNNNNNN", "NNNNNNNNNNNNNNN"),
    "portal:invite":                    ("LANNNNFFFFLFFFF", "LANNNNFFFFLFFFF"),
    "portal:request_queue":             ("LAAAAAFFFFLFFFF", "LMMMMMFFFFLFFFF"),
    "portal:request_decide":            ("LANNNNFFFFLFFFF", "LANNNNFFFFLFFFF"),
    "dossiers:export_json":             ("LANNNNANNNLNANN", "LMMMMMMMFFLMMMM"),
    "dossiers:export_fhir":             ("LANNNNANNNLNANN", "LMMMMMMMFFLMMMM"),
    "dossiers:export_pdf":              ("LANNNNANNNLNANN", "LANNNNANFFLNANN"),
    "dossiers:export_job":              ("LANNNNANNNLNANN", "LMMMMMMMFFLMMMM"),
    "dossiers:export_download":         ("LANNNNANNNLNANN", "LMMMMMMMFFLMMMM"),
    "dossiers:retention_list":          ("LAAAAAFFFFLFFFF", "LMMMMMFFFFLFFFF"),
    "dossiers:destruction_list":        ("LAAAAAFFFFLFFFF", "LMMMMMFFFFLFFFF"),
    "dossiers:retention_extend":        ("LANNNNNNNNLNNNN", "LANNNNNNFFLNNNN"),
    "practice:readiness":               ("LAAAAAFFAALFFFF", "LMMMMMFFFFLFFFF"),
    "practice:readiness_pdf":           ("LAAAAAFFAALFFFF", "LMMMMMFFFFLFFFF"),
    "practice:privacy_edit":            ("LAAAAAFFFFLFFFF", "LAAAAAFFFFLFFFF"),
    "practice:privacy_public":          ("AAAAAAAAAAAAAAA", "MMMMMMMMFFMMMMM"),
    "practice:subcontract":             ("LANNNNNNNNLNNNN", "LANNNNNNFFLNNNN"),
    "practice:principal_check":         ("LRNNNNNNNNLNNNN", "LRNNNNNNFFLNNNN"),
    "dossiers:restriction":             ("LANNNNNNNNLNNNN", "LANNNNNNFFLNNNN"),
    "dossiers:destroy":                 ("LANNNNNNNNLNNNN", "LANNNNNNFFLNNNN"),
    "dossiers:entry_history":           ("LANNNNNNNNLNNNN", "LMMMMMMMFFLMMMM"),
    "dossiers:dossier_history":         ("LANNNNNNNNLNNNN", "LMMMMMMMFFLMMMM"),
    "portal:choose":                    ("LFFFFFRRFFLFRAA", "LFFFFFNNFFLFNNN"),
    "consent:representation_list":      ("LANNNNFFFFLFFFF", "LANNNNFFFFLFFFF"),
    "consent:representation_end":       ("LMMMMMFFFFLFFFF", "LRNNNNFFFFLFFFF"),
    "consent:representation_refusal":   ("LANNNNFFFFLFFFF", "LANNNNFFFFLFFFF"),
    "consent:representation_invite":    ("LANNNNFFFFLFFFF", "LANNNNFFFFLFFFF"),
    "notifications:portal_preferences": ("LFFFFFAAFFLFAAA", "LFFFFFRRFFLFRRR"),
    "notifications:account_preferences":("LAAAAAFFFFLFFFF", "LRRRRRFFFFLFFFF"),
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
    return {200: "A", 400: "B", 403: "F", 404: "N", 405: "M"}.get(
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
