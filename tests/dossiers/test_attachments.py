"""Attachments: PDF, JPEG or PNG up to 20 MB, type checked by content; stored encrypted."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from audit.models import AccessEvent
from dossiers.models import Attachment
from tests.personas import Cast

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"canary-png-body"


def upload(http, cast: Cast, name: str, content: bytes, title: str = "Brief huisarts"):
    url = reverse("dossiers:attachment_create", args=[cast.dossier.pk])
    return http.post(url, {"title": title, "file": SimpleUploadedFile(name, content)})


def test_it_accepts_a_png_and_serves_it_back_as_a_download(cast: Cast, as_user) -> None:
    http = as_user(cast.anna)
    assert upload(http, cast, "scan.png", PNG).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png" and attachment.size == len(PNG)
    response = http.get(
        reverse("dossiers:attachment_download", args=[cast.dossier.pk, attachment.pk])
    )
    assert response.content == PNG
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="bijlage-{attachment.pk}.png"'
    )
    assert (
        AccessEvent.objects.filter(
            event_type="attachment.view", object_id=str(attachment.pk)
        ).count()
        == 1
    )


def test_it_checks_the_content_not_the_name(cast: Cast, as_user) -> None:
    response = upload(
        as_user(cast.anna), cast, "brief.pdf", b"MZ\x90\x00 not a pdf at all"
    )
    assert response.status_code == 200
    assert "gecontroleerd op inhoud" in response.context["form"].errors["file"][0]
    assert not Attachment.objects.exists()


def test_it_refuses_more_than_20_mb(cast: Cast, as_user) -> None:
    big = b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024)
    response = upload(as_user(cast.anna), cast, "groot.pdf", big)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Het bestand is groter dan 20 MB."
    ]


def test_the_file_is_stored_encrypted(cast: Cast, as_user) -> None:
    upload(as_user(cast.anna), cast, "scan.png", PNG)
    with connection.cursor() as cursor:
        cursor.execute("SELECT content, title FROM dossiers_attachment")
        content, title = cursor.fetchone()
    assert b"canary-png-body" not in bytes(content)
    assert "Brief huisarts" not in title
