"""Every write to a dossier goes through here: one transaction, one access event."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action, Basis, EventType
from dossiers.access import Access, DossierRestricted, record_access
from dossiers.history import IDENTITY
from dossiers.models import (
    Attachment,
    Client,
    ClinicalRow,
    Dossier,
    DossierEntry,
    Revision,
    TreatmentConsent,
)
from dossiers.validators import normalise_bsn
from keystore import crypto
from notifications.services import seen_by_other


class ConflictError(Exception):
    """The row changed since the form was opened; carries the version now stored."""

    def __init__(self, current: Model) -> None:
        super().__init__(_("Iemand anders heeft dit intussen gewijzigd."))
        self.current = current


class DuplicateBsnError(Exception):
    pass


class BsnChangeRefused(Exception):
    """Only the client's own practice changes the BSN: a colleague with a write grant
    could otherwise learn, from a clash, which BSNs another practice holds."""


@dataclass(frozen=True)
class Change:
    fields: list[str]


def log_write(
    access: Access,
    actor: Any,
    action: str,
    obj: Model,
    *,
    event_type: EventType,
    fields: list[str],
    client: Client,
    detail: str = "",
) -> None:
    """The access event of a dossier write, inside the write's transaction; it also moves
    the dossier's revision, which the dossier page's cache is keyed on."""
    Dossier.objects.filter(client_id=client.pk).update(revision=F("revision") + 1)
    record_access(
        actor,
        access,
        event_type,
        action=action,
        client_id=client.pk,
        dossier_id=client.dossier.pk if _has_dossier(client) else None,
        object_type=type(obj).__name__.lower(),
        object_id=obj.pk,
        fields=fields,
        detail=detail,
    )
    if access is not None:
        seen_by_other(access)  # a colleague's write with a grant tells the client too


def _has_dossier(client: Client) -> bool:
    try:
        client.dossier  # noqa: B018
    except Dossier.DoesNotExist:
        return False
    return True


def _refuse_if_restricted(access: Access) -> None:
    """AVG art. 18 in the model layer too: no change reaches a restricted dossier."""
    if Dossier.objects.filter(
        client_id=access.client.pk, restricted_at__isnull=False
    ).exists():
        raise DossierRestricted


def revision_keep(
    *,
    client: Client,
    actor: Any,
    object_type: str,
    object_id: Any,
    version: int,
    old: dict[str, Any],
    reason: str,
) -> Revision:
    """Keep an earlier version, encrypted with the client's key, with who, when and why."""
    return Revision.objects.create(
        practice_id=client.practice_id,
        client=client,
        key_ref=client.key_ref,
        object_type=object_type,
        object_id=object_id,
        version=version,
        changed_by=actor,
        reason=reason,
        old_values=json.dumps(old, ensure_ascii=False, default=str),
    )


def _keep_corrections(
    obj: Any,
    before: dict[str, Any],
    changed: list[str],
    *,
    client: Client,
    actor: Any,
    reason: str,
) -> None:
    """A correction of clinical (encrypted) text or of a client's identity (which the
    change history leaves out, see dossiers.history) keeps the value it replaced."""

    kept = (*getattr(obj, "ENCRYPTED", ()), *IDENTITY.get(type(obj).__name__, ()))
    old = {name: before[name] for name in changed if name in kept}
    if old:
        revision_keep(
            client=client,
            actor=actor,
            object_type=type(obj).__name__.lower(),
            object_id=obj.pk,
            version=obj.version - 1,
            old=old,
            reason=reason,
        )


def _touch_dossier(dossier: Dossier) -> None:
    """A change anywhere in the dossier moves its retention term (WGBO: from the last change)."""
    Dossier.objects.filter(pk=dossier.pk).update(last_changed_at=timezone.now())


def _apply_bsn(client: Client, bsn: str) -> None:
    if bsn:
        client.bsn = normalise_bsn(bsn)
        client.bsn_index = crypto.blind_index(client.bsn, purpose="bsn")
    else:
        client.bsn = ""
        client.bsn_index = None


def _changed_fields(before: dict[str, Any], obj: Model, names: list[str]) -> list[str]:
    return [name for name in names if before.get(name) != getattr(obj, name)]


@transaction.atomic
def client_register(*, actor: Any, data: dict[str, Any]) -> Client:
    bsn = data.pop("bsn", "")
    client = Client(
        practice_id=actor.practice_id,
        created_by=actor,
        key_ref=crypto.create_data_key(),
        **data,
    )
    _apply_bsn(client, bsn)
    if client.id_checked_on and not client.id_checked_by_id:
        client.id_checked_by = actor
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError as exc:
        if "bsn" in str(exc).lower():
            raise DuplicateBsnError from exc
        raise
    log_write(
        Access(client=client, basis=Basis.OWN, can_write=True),  # the creator's own
        actor,
        Action.CREATE,
        client,
        event_type=EventType.CLIENT_CREATE,
        fields=sorted(data),
        client=client,
    )
    return client


@transaction.atomic
def client_update(
    *,
    access: Access,
    actor: Any,
    data: dict[str, Any],
    expected_version: int,
    reason: str = "",
) -> Client:
    # Long because a client's update is one transaction: the BSN index, the versioned save
    # and the kept earlier values.
    _refuse_if_restricted(access)
    client = Client.objects.select_for_update().get(pk=access.client.pk)
    if client.version != expected_version:
        raise ConflictError(client)
    names = list(data)
    before = {name: getattr(client, name) for name in names}
    bsn = data.pop("bsn", None)
    bsn_changes = bsn is not None and normalise_bsn(bsn) != before.get("bsn")
    if bsn_changes and access.basis != Basis.OWN:
        raise BsnChangeRefused
    for name, value in data.items():
        setattr(client, name, value)
    if bsn_changes:
        _apply_bsn(client, bsn or "")
    if client.id_checked_on and not client.id_checked_by_id:
        client.id_checked_by = actor
    client.version += 1
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError as exc:
        if "bsn" in str(exc).lower():
            raise DuplicateBsnError from exc
        raise
    changed = _changed_fields(before, client, names)
    _keep_corrections(
        client, before, changed, client=client, actor=actor, reason=reason
    )
    log_write(
        access,
        actor,
        Action.UPDATE,
        client,
        event_type=EventType.CLIENT_UPDATE,
        fields=changed,
        client=client,
    )
    if _has_dossier(client):
        _touch_dossier(client.dossier)
    return client


@transaction.atomic
def dossier_open(*, access: Access, actor: Any, data: dict[str, Any]) -> Dossier:
    client = access.client
    dossier = Dossier(
        client=client,
        practice_id=client.practice_id,
        key_ref=client.key_ref,
        created_by=actor,
        **data,
    )
    dossier.save()
    client.dossier = dossier
    log_write(
        access,
        actor,
        Action.CREATE,
        dossier,
        event_type=EventType.DOSSIER_CREATE,
        fields=sorted(data),
        client=client,
    )
    return dossier


def _save_versioned(
    *,
    access: Access,
    actor: Any,
    model: type[ClinicalRow],
    pk: Any,
    data: dict[str, Any],
    expected_version: int,
    reason: str = "",
) -> ClinicalRow:
    # Long because the optimistic-lock save, the conflict check and the kept earlier values
    # belong together.
    _refuse_if_restricted(access)
    obj = model._default_manager.select_for_update().get(pk=pk)
    if obj.version != expected_version:
        raise ConflictError(obj)
    m2m = {name: data.pop(name) for name in list(data) if _is_m2m(model, name)}
    names = list(data)
    before = {name: getattr(obj, name) for name in names}
    for name, value in data.items():
        setattr(obj, name, value)
    obj.version += 1
    obj.save()
    changed = _changed_fields(before, obj, names)
    _keep_corrections(
        obj, before, changed, client=access.client, actor=actor, reason=reason
    )
    for name, values in m2m.items():
        current = set(getattr(obj, name).values_list("pk", flat=True))
        if current != {v.pk for v in values}:
            getattr(obj, name).set(values)
            changed.append(name)
    log_write(
        access,
        actor,
        Action.UPDATE,
        obj,
        event_type=EventType.update_of(model.__name__.lower()),
        fields=changed,
        client=access.client,
    )
    _touch_dossier(access.dossier)
    return obj


def _is_m2m(model: type[Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.many_to_many)


@transaction.atomic
def dossier_update(
    *,
    access: Access,
    actor: Any,
    data: dict[str, Any],
    expected_version: int,
    reason: str = "",
) -> Dossier:
    obj = _save_versioned(
        access=access,
        actor=actor,
        model=Dossier,
        pk=access.dossier.pk,
        data=data,
        expected_version=expected_version,
        reason=reason,
    )
    return cast(Dossier, obj)


@transaction.atomic
def entry_add(
    *, access: Access, actor: Any, model: type[DossierEntry], data: dict[str, Any]
) -> DossierEntry:
    """Add a goal, treatment, discussion, consent, care moment, experience or attachment."""
    _refuse_if_restricted(access)
    dossier = access.dossier
    m2m = {name: data.pop(name) for name in list(data) if _is_m2m(model, name)}
    obj = model(
        dossier=dossier,
        practice_id=dossier.practice_id,
        key_ref=dossier.key_ref,
        created_by=actor,
        **data,
    )
    obj.save()
    for name, values in m2m.items():
        getattr(obj, name).set(values)
    fields = sorted([*data, *m2m])
    log_write(
        access,
        actor,
        Action.CREATE,
        obj,
        event_type=EventType.create_of(model.__name__.lower()),
        fields=fields,
        client=access.client,
    )
    _touch_dossier(dossier)
    return obj


@transaction.atomic
def entry_update(
    *,
    access: Access,
    actor: Any,
    entry: DossierEntry,
    data: dict[str, Any],
    expected_version: int,
    reason: str = "",
) -> DossierEntry:
    obj = _save_versioned(
        access=access,
        actor=actor,
        model=type(entry),
        pk=entry.pk,
        data=data,
        expected_version=expected_version,
        reason=reason,
    )
    return cast(DossierEntry, obj)


@transaction.atomic
def consent_withdraw(
    *,
    access: Access,
    actor: Any,
    consent: TreatmentConsent,
    withdrawn_on: Any,
    note: str,
    expected_version: int,
) -> TreatmentConsent:
    obj = _save_versioned(
        access=access,
        actor=actor,
        model=TreatmentConsent,
        pk=consent.pk,
        data={"withdrawn_on": withdrawn_on, "withdrawal_note": note},
        expected_version=expected_version,
    )
    return cast(TreatmentConsent, obj)


@transaction.atomic
def attachment_add(
    *, access: Access, actor: Any, title: str, content: bytes, content_type: str
) -> Attachment:
    obj = entry_add(
        access=access,
        actor=actor,
        model=Attachment,
        data={
            "title": title,
            "content": content,
            "content_type": content_type,
            "size": len(content),
        },
    )
    return cast(Attachment, obj)
