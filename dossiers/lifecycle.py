"""Retention (bewaartermijn), restriction (AVG art. 18) and destruction (vernietiging).

No automatic destruction: a human decides, in two steps, and the decision is recorded.
"""

from __future__ import annotations

import datetime
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential, WebAuthnUserHandle

from accounts.models import UserSession
from audit.models import Action, EventType
from dossiers.access import Access, record_access
from dossiers.entries import KINDS, OTHER_CONTENT
from dossiers.models import (
    RETENTION_YEARS,
    Client,
    DestructionRecord,
    Dossier,
    ExportJob,
    Revision,
    add_years,
)
from dossiers.services import log_write, revision_keep
from keystore import crypto, shred_list

# Sent inside dossier_destroy's transaction, before the dossier's rows go; kwargs: client.
client_destroying = Signal()
SOON = datetime.timedelta(days=90)


class DestructionGround:
    TERM_EXPIRED = "bewaartermijn-verstreken"
    CLIENT_REQUEST = "verzoek-client"
    CHOICES = (
        (TERM_EXPIRED, _("de bewaartermijn is verstreken")),
        (CLIENT_REQUEST, _("toegekend verzoek van de cliënt (WGBO art. 7:455)")),
    )


def retention_end(dossier: Dossier) -> datetime.date:
    """The dossier's own rule (`Dossier.retention_until`), as a sort key."""
    return dossier.retention_until


def due_for_review(
    practice_id: Any, today: datetime.date | None = None
) -> list[Dossier]:
    """Dossiers whose term has passed or passes within 90 days (the retention screen and report)."""
    today = today or timezone.localdate()
    horizon = today + SOON
    cutoff = timezone.make_aware(
        datetime.datetime.combine(
            add_years(horizon, -RETENTION_YEARS), datetime.time.max
        )
    )
    candidates = Dossier.objects.filter(
        practice_id=practice_id, last_changed_at__lte=cutoff
    ).select_related("client")
    return sorted(
        (d for d in candidates if retention_end(d) <= horizon), key=retention_end
    )


@transaction.atomic
def retention_extend(
    *, access: Access, actor: Any, until: datetime.date, reason: str
) -> Dossier:
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Leg vast waarom het dossier langer bewaard moet worden.")}
        )
    dossier = Dossier.objects.select_for_update().get(pk=access.dossier.pk)
    if until <= retention_end(dossier):
        raise ValidationError(
            {"until": _("Kies een datum na het einde van de huidige bewaartermijn.")}
        )
    dossier.retention_extended_until, dossier.retention_extension_reason = until, reason
    dossier.save(
        update_fields=["retention_extended_until", "retention_extension_reason"]
    )
    log_write(
        access,
        actor,
        Action.UPDATE,
        dossier,
        event_type=EventType.RETENTION_EXTEND,
        fields=["retention_extended_until", "retention_extension_reason"],
        client=access.client,
    )
    return dossier


@transaction.atomic
def restriction_set(
    *, access: Access, actor: Any, restricted: bool, reason: str = ""
) -> Dossier:
    """Restrict (``restricted=True``) or lift the restriction; idempotent.

    The caller says which state it wants: asking for the state the dossier is already in
    changes nothing, so a repeated POST never reverses an earlier one.
    """
    dossier = Dossier.objects.select_for_update().get(pk=access.dossier.pk)
    if (dossier.restricted_at is not None) == restricted:
        return dossier
    if dossier.restricted_at is not None and not restricted:
        # Keep the restriction that ends, with the reason for lifting it, in the history.
        revision_keep(
            client=access.client,
            actor=actor,
            object_type="beperking",
            object_id=dossier.pk,
            version=dossier.version,
            old={
                "restricted_at": dossier.restricted_at.isoformat(),
                "restriction_reason": str(dossier.restriction_reason or ""),
            },
            reason=reason,
        )
    dossier.restricted_at = timezone.now() if restricted else None
    dossier.restriction_reason = reason if restricted else ""
    dossier.save(update_fields=["restricted_at", "restriction_reason"])
    log_write(
        access,
        actor,
        Action.UPDATE,
        dossier,
        event_type=EventType.RESTRICTION_SET
        if restricted
        else EventType.RESTRICTION_LIFT,
        fields=["restricted_at", "restriction_reason"],
        client=access.client,
    )
    return dossier


def portal_account_forget(user: Any) -> None:
    """Anonymise a destroyed client's portal account and end its sessions (#26).

    The row stays (the access log and the tombstone refer to its id), but nothing in it
    or around it names the client any more: no username, name or e-mail, no password,
    no second factor, no sessions, no sign-in attempts under the old username.
    """

    old_username = user.username
    keys = list(
        UserSession.objects.filter(user=user).values_list("session_key", flat=True)
    )
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    for device in (TOTPDevice, StaticDevice, WebAuthnCredential, WebAuthnUserHandle):
        device.objects.filter(user=user).delete()  # passkeys and their user handle too
    for attempts in (AccessAttempt, AccessFailureLog, AccessLog):
        attempts.objects.filter(username=old_username).delete()
    user.username = f"vernietigd-{user.public_id}"
    user.first_name = user.last_name = ""
    user.contact_email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


@transaction.atomic
def dossier_destroy(
    *, access: Access, actor: Any, ground: str, note: str = "", request_ref: Any = None
) -> DestructionRecord:
    """Delete every clinical row of the client, keep a tombstone, and shred the data key after commit.

    The access-log events stay: they hold ids and field names, no content.
    """
    # Long because destruction is one transaction whose steps must run in this order: check
    # the ground, let linked apps forget, delete, tombstone, log, shred after commit.
    client = Client.objects.select_for_update().get(pk=access.client.pk)
    today = timezone.localdate()
    dossier = Dossier.objects.filter(client=client).first()
    if (
        ground == DestructionGround.TERM_EXPIRED
        and dossier
        and retention_end(dossier) > today
    ):
        raise ValidationError(
            _("De bewaartermijn van dit dossier is nog niet verstreken.")
        )
    if ground == DestructionGround.CLIENT_REQUEST and request_ref is None:
        raise ValidationError(_("Kies het toegekende verzoek van de cliënt."))
    # Grants (consent) and rights requests (portal) go with the dossier; their apps delete
    # them, so this module needs no import of either.
    client_destroying.send(sender=Client, client=client)
    if dossier is not None:
        # Reverse table order: a kind refers only to kinds above it.
        for model in (
            *OTHER_CONTENT,
            *(kind.model for kind in reversed(KINDS.values())),
        ):
            model._base_manager.filter(dossier=dossier).delete()
    Revision.objects.filter(client=client).delete()
    ExportJob.objects.filter(client=client).delete()
    dossier_ref = dossier.pk if dossier is not None else None
    if dossier is not None:
        dossier.delete()
    portal_user = client.portal_user
    key_ref = client.key_ref
    tombstone = DestructionRecord.objects.create(
        practice_id=client.practice_id,
        client_ref=client.pk,
        dossier_ref=dossier_ref,
        destroyed_by=actor,
        legal_ground=ground,
        rights_request_ref=request_ref,
        note=note[:500],
    )
    client.delete()
    if portal_user is not None:
        portal_account_forget(portal_user)
    record_access(
        actor,
        access,
        EventType.DOSSIER_DESTROY,
        action=Action.DELETE,
        client_id=tombstone.client_ref,
        dossier_id=tombstone.dossier_ref,
        object_type="dossier",
        object_id=tombstone.dossier_ref or "",
        detail=ground,
    )
    transaction.on_commit(lambda: _shred(key_ref))
    return tombstone


def _shred(key_ref: Any) -> None:
    """Destroy the data key, and note it on the shred list beside the key-store backups,
    so that a key-store backup made earlier is shredded again when it is restored."""

    crypto.destroy_data_key(key_ref)
    shred_list.note(key_ref)
