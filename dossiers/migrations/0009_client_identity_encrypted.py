"""#26: a client's names and date of birth encrypted under the client's data key, like
e-mail, phone, address and BSN, so an earlier backup restored after destruction cannot show
them. The columns become text; existing rows are sealed in place (and opened again on the
way back). The name index and the default ordering go: lists sort in memory."""

import uuid

import dossiers.validators
import keystore.fields
from django.conf import settings
from django.db import migrations

TABLE = "dossiers_client"
COLUMNS = ("given_names", "name_prefix", "family_name", "date_of_birth")
SEALED = ("e1:", "p0:")


def _rows(connection):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, key_ref, {', '.join(COLUMNS)} FROM {TABLE}"  # noqa: S608
        )
        # SQLite hands UUIDs back as 32 hex digits; the AAD uses the dashed form.
        return [
            (raw_id, uuid.UUID(str(raw_id)), uuid.UUID(str(key_ref)), *values)
            for raw_id, key_ref, *values in cursor.fetchall()
        ]


def _write(connection, row_id, values):
    sets = ", ".join(f"{column} = %s" for column in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET {sets} WHERE id = %s",  # noqa: S608
            [*values, row_id],
        )


def seal(apps, schema_editor):
    from keystore import crypto

    connection = schema_editor.connection
    for raw_id, row_id, key_ref, *values in _rows(connection):
        sealed = []
        for column, value in zip(COLUMNS, values):
            value = "" if value is None else str(value)
            if not value or value.startswith(SEALED):
                sealed.append(value)
            elif not settings.ECD_ENCRYPTION_ENABLED:
                sealed.append("p0:" + value)
            else:
                try:
                    sealed.append(
                        crypto.encrypt_text(
                            value,
                            key_ref=key_ref,
                            aad=crypto.aad_for(TABLE, column, row_id),
                        )
                    )
                except crypto.KeyDestroyedError:
                    sealed.append("")  # nobody can read this client any more
        _write(connection, raw_id, sealed)


def open_again(apps, schema_editor):
    from keystore import crypto

    connection = schema_editor.connection
    for raw_id, row_id, key_ref, *values in _rows(connection):
        clear = []
        for column, value in zip(COLUMNS, values):
            value = value or ""
            if value.startswith("p0:"):
                value = value[3:]
            elif value.startswith("e1:"):
                try:
                    value = crypto.decrypt_text(
                        value, key_ref=key_ref, aad=crypto.aad_for(TABLE, column, row_id)
                    )
                except crypto.KeyDestroyedError:
                    value = ""
            clear.append(value)
        if not clear[-1]:
            clear[-1] = "1900-01-01"  # the date column takes no empty text
        _write(connection, raw_id, clear)


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0008_one_pending_export'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='client',
            options={'verbose_name': 'cliënt', 'verbose_name_plural': 'cliënten'},
        ),
        migrations.RemoveIndex(
            model_name='client',
            name='client_practice_name',
        ),
        migrations.AlterField(
            model_name='client',
            name='date_of_birth',
            field=keystore.fields.EncryptedDateField(validators=[dossiers.validators.validate_birth_date], verbose_name='geboortedatum'),
        ),
        migrations.AlterField(
            model_name='client',
            name='family_name',
            field=keystore.fields.EncryptedTextField(max_length=200, verbose_name='achternaam'),
        ),
        migrations.AlterField(
            model_name='client',
            name='given_names',
            field=keystore.fields.EncryptedTextField(max_length=200, verbose_name='voornamen'),
        ),
        migrations.AlterField(
            model_name='client',
            name='name_prefix',
            field=keystore.fields.EncryptedTextField(blank=True, max_length=20, verbose_name='tussenvoegsel'),
        ),
        migrations.RunPython(seal, open_again),
    ]
