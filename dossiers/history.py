"""Change history (django-auditlog) of every dossier element.

Encrypted fields are left out of auditlog's diffs: it would store their decrypted text.
Which encrypted fields changed is recorded by name in the access log instead.
"""

from __future__ import annotations

from auditlog.registry import auditlog

# Clear-text identity of a client: kept out of auditlog's append-only table, which
# destruction cannot empty (#26). Earlier values of these fields are kept encrypted, under
# the client's data key, as corrections (dossiers.Revision), so shredding reaches them.
IDENTITY: dict[str, tuple[str, ...]] = {
    "Client": ("given_names", "name_prefix", "family_name", "date_of_birth")
}


def register_models() -> None:
    # Imported here: AppConfig.ready() calls this once the models are loaded.
    from dossiers.entries import KINDS, OTHER_CONTENT
    from dossiers.models import Client, ClinicalRow, Dossier

    rows: tuple[type[ClinicalRow], ...] = (
        Client,
        Dossier,
        *(kind.model for kind in KINDS.values()),
        *OTHER_CONTENT,
    )
    for model in rows:
        if model in auditlog._registry:
            continue
        exclude = [*model.ENCRYPTED, *IDENTITY.get(model.__name__, ()), "key_ref"]
        exclude += ["bsn_index"]
        auditlog.register(model, exclude_fields=exclude, m2m_fields=set())
