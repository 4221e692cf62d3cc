"""Change history (django-auditlog) of every dossier element.

Encrypted fields are left out of auditlog's diffs: it would store their decrypted text.
Which encrypted fields changed is recorded by name in the access log instead.
"""

from __future__ import annotations

from auditlog.registry import auditlog


def register_models() -> None:
    from dossiers import models

    for model in (
        models.Client,
        models.Dossier,
        models.Goal,
        models.Treatment,
        models.Discussion,
        models.TreatmentConsent,
        models.CareMoment,
        models.Experience,
        models.Attachment,
        models.OwnStatement,
    ):
        if model in auditlog._registry:
            continue
        exclude = [*model.ENCRYPTED, "key_ref", "bsn_index"]
        auditlog.register(model, exclude_fields=exclude, m2m_fields=set())
