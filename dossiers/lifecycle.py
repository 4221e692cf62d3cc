"""Retention (bewaartermijn), restriction (AVG art. 18) and destruction (vernietiging).

No automatic destruction: a human decides, in two steps, and the decision is recorded.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import remove_perm

from audit.models import Action
from audit.services import record
from dossiers.access import Access
from dossiers.entries import KINDS, OTHER_CONTENT
from dossiers.models import (
    Client,
    DestructionRecord,
    Dossier,
    ExportJob,
    Revision,
)
from dossiers.services import log_write, revision_keep
from keystore import crypto

RETENTION_YEARS = 20
SOON = datetime.timedelta(days=90)


class DestructionGround:
    TERM_EXPIRED = "bewaartermijn-verstreken"
    CLIENT_REQUEST = "verzoek-client"
    CHOICES = (
        (TERM_EXPIRED, _("de bewaartermijn is verstreken")),
        (CLIENT_REQUEST, _("toegekend verzoek van de cliënt (WGBO art. 7:455)")),
    )


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def retention_end(dossier: Dossier) -> datetime.date:
    by_rule = _add_years(
        timezone.localtime(dossier.last_changed_at).date(), RETENTION_YEARS
    )
    extended = dossier.retention_extended_until
    return max(by_rule, extended) if extended else by_rule


def due_for_review(
    practice_id: Any, today: datetime.date | None = None
) -> list[Dossier]:
    """Dossiers whose term has passed or passes within 90 days (the retention screen and report)."""
    today = today or timezone.localdate()
    horizon = today + SOON
    cutoff = timezone.make_aware(
        datetime.datetime.combine(
            _add_years(horizon, -RETENTION_YEARS), datetime.time.max
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
        event_type="retention.extend",
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
        event_type="restriction.set" if restricted else "restriction.lift",
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
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.sessions.models import Session
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import UserSession

    old_username = user.username
    keys = list(
        UserSession.objects.filter(user=user).values_list("session_key", flat=True)
    )
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    for device in (TOTPDevice, StaticDevice):
        device.objects.filter(user=user).delete()
    for attempts in (AccessAttempt, AccessFailureLog, AccessLog):
        attempts.objects.filter(username=old_username).delete()
    user.username = f"vernietigd-{user.public_id}"
    user.first_name = user.last_name = ""
    user.contact_email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


def _forget_idle_representatives(user_ids: list[Any]) -> None:
    """A representative's account that now acts for nobody, and is no client itself, would
    only say that its holder once represented the destroyed client: forgotten too."""
    from django.contrib.auth import get_user_model

    idle = get_user_model().objects.filter(
        pk__in=user_ids, representations__isnull=True, client_record__isnull=True
    )
    for user in idle:
        portal_account_forget(user)


@transaction.atomic
def dossier_destroy(
    *, access: Access, actor: Any, ground: str, note: str = "", request_ref: Any = None
) -> DestructionRecord:
    """Delete every clinical row of the client, keep a tombstone, and shred the data key after commit.

    The access-log events stay: they hold ids and field names, no content.
    """
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
    from consent.models import AccessGrant, Representation
    from portal.models import RightsRequest

    for grant in AccessGrant.objects.filter(client=client).select_related("colleague"):
        remove_perm("dossiers.view_client", grant.colleague, client)
        remove_perm("dossiers.change_client", grant.colleague, client)
    if dossier is not None:
        # Reverse table order: a kind refers only to kinds above it.
        for model in (
            *OTHER_CONTENT,
            *(kind.model for kind in reversed(KINDS.values())),
        ):
            model._base_manager.filter(dossier=dossier).delete()
    Revision.objects.filter(client=client).delete()
    ExportJob.objects.filter(client=client).delete()
    AccessGrant.objects.filter(client=client).delete()
    representatives = list(
        Representation.objects.filter(client=client, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    Representation.objects.filter(client=client).delete()  # and their invitations
    RightsRequest.objects.filter(client=client).delete()
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
    _forget_idle_representatives(representatives)
    record(
        actor=actor,
        action=Action.DELETE,
        event_type="dossier.destroy",
        practice_id=tombstone.practice_id,
        client_id=tombstone.client_ref,
        dossier_id=tombstone.dossier_ref,
        object_type="dossier",
        object_id=tombstone.dossier_ref or "",
        basis=access.basis,
        detail=ground,
    )
    transaction.on_commit(lambda: crypto.destroy_data_key(key_ref))
    return tombstone
