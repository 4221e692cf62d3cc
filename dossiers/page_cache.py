"""The dossier page's body, rendered once per revision of the record, kept in this process.

Decrypting and rendering the record (25 zorgmomenten, goals, treatments, consents, …) is most
of what a dossier page costs. The body depends only on the record and on how this reader may
use it, so it is kept under a key made of: the dossier's `revision` (moved inside every
logged write, `services.log_write`), the versions of the client and dossier rows and the
restriction, the reader's basis, write right and case reference, the page asked for, and the
language and time zone. A write therefore never hides behind the cache.

Access is decided and the read is logged for every request, before the cache is asked
(`access.dossier_for`). The cache is `CACHES["dossier_pages"]`, which must stay a
LocMemCache: plaintext of a health record lives only in this process's memory, never in a
shared cache, a file or the database. Entries expire after five minutes; each process keeps
at most a few hundred bodies.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import caches
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from dossiers.access import Access

CACHE = "dossier_pages"
TEMPLATE = "dossiers/_dossier_body.html"


def body_key(access: Access, page_number: Any) -> str:
    """Everything the body depends on besides the record's rows themselves."""
    dossier, client = access.dossier, access.client
    parts = (
        dossier.pk,
        dossier.revision,
        dossier.version,
        client.version,
        dossier.restricted_at,
        access.basis,
        access.can_write,
        access.case_reference,
        str(page_number or "")[:12],
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"dossier-body:{digest}"


def dossier_body(
    request: HttpRequest, access: Access, page_number: Any, context: Any
) -> SafeString:
    """The rendered body: from this process's cache, or rendered from `context()` and kept."""
    cache = caches[CACHE]
    key = body_key(access, page_number)
    body: SafeString | None = cache.get(key)
    if body is None:
        body = render_to_string(TEMPLATE, context(), request=request)
        cache.set(key, body)
    return body
