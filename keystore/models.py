from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataKey(models.Model):
    """One data key per client, wrapped by a master key.

    Lives in the "keys" database. Destroying it (wrapped=NULL) makes every copy of
    the client's ciphertext unreadable, in the database and in all its backups.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    master_key_id = models.CharField(max_length=40, blank=True)
    wrapped = models.BinaryField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True)
    destroyed_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("datasleutel")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(destroyed_at__isnull=True, wrapped__isnull=False)
                    | models.Q(destroyed_at__isnull=False, wrapped__isnull=True)
                ),
                name="datakey_wrapped_xor_destroyed",
            )
        ]

    def __str__(self) -> str:
        return f"DataKey {self.id} ({self.master_key_id or 'vernietigd'})"
