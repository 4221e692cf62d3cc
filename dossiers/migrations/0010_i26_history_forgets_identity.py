"""#26: django-auditlog rows written before the client's names and date of birth were left
out of the change history (dossiers.history.IDENTITY) still hold them in clear, in a table
the database keeps append-only. This migration drops those fields from the history of
Client rows, lifting the append-only trigger for just this statement (as the table's
owner; the application's role cannot) and putting it back in the same transaction.

Access events are not touched: their hash chain covers actor_name, so an event that named a
client before the fix keeps that name (see README, "What stays after destruction").
"""

import json

from django.db import migrations

IDENTITY = ("given_names", "name_prefix", "family_name", "date_of_birth")
TABLE = "auditlog_logentry"
SQLITE_TRIGGER = (
    "CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
    "BEGIN SELECT RAISE(ABORT, 'ecd: UPDATE op {table} is niet toegestaan'); END"
)


def _without_identity(value):
    """The value with the identity fields left out, and whether anything was left out."""
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return value, False
        cleaned, changed = _without_identity(parsed)
        return (json.dumps(cleaned) if changed else value), changed
    if isinstance(value, dict):
        changed = any(name in value for name in IDENTITY)
        cleaned = {k: v for k, v in value.items() if k not in IDENTITY}
        if isinstance(cleaned.get("fields"), dict):  # serialized_data
            inner, inner_changed = _without_identity(cleaned["fields"])
            cleaned["fields"], changed = inner, changed or inner_changed
        return cleaned, changed
    return value, False


def forget_identity(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    client_type = ContentType.objects.filter(app_label="dossiers", model="client")
    dirty = []
    for entry in LogEntry.objects.filter(content_type__in=client_type).only(
        "pk", "changes", "changes_text", "serialized_data"
    ):
        values = {}
        for name in ("changes", "changes_text", "serialized_data"):
            cleaned, changed = _without_identity(getattr(entry, name))
            if changed:
                values[name] = cleaned
        if values:
            dirty.append((entry.pk, values))
    if not dirty:
        return
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # Deferred foreign-key checks of rows written earlier in this transaction must
        # run first: PostgreSQL will not alter a table with trigger events pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TABLE}_no_change")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
    for pk, values in dirty:
        LogEntry.objects.filter(pk=pk).update(**values)
    if vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TABLE}_no_change")
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER.format(table=TABLE))


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0009_client_identity_encrypted"),
        ("audit", "0002_append_only"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forget_identity, migrations.RunPython.noop)]
