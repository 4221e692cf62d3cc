"""#31: at most one afschrift per client and kind queued or being made.

Older duplicates that a flood left behind are marked failed first, so the index can be made.
"""

from django.conf import settings
from django.db import migrations, models

PENDING = ["wachtrij", "bezig"]


def fail_duplicates(apps, schema_editor):
    ExportJob = apps.get_model("dossiers", "ExportJob")
    kept: set = set()
    for job in (
        ExportJob.objects.filter(status__in=PENDING)
        .order_by("client_id", "kind", "created_at")
        .only("pk", "client_id", "kind")
    ):
        if (job.client_id, job.kind) in kept:
            ExportJob.objects.filter(pk=job.pk).update(
                status="mislukt", pdf_password="", progress=100
            )
        kept.add((job.client_id, job.kind))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_invitation"),
        ("dossiers", "0007_goal_evaluate_on"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(fail_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="exportjob",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", PENDING)),
                fields=("client", "kind"),
                name="exportjob_one_pending_per_client_kind",
            ),
        ),
    ]
