"""Two people editing the same entry: the second save gets a conflict, nothing is lost."""

from django.urls import reverse

from dossiers.models import Dossier
from tests.personas import Cast


def edit_form(dossier: Dossier, **overrides: str) -> dict[str, str]:
    data = {
        "practitioner_name": dossier.practitioner_name,
        "practitioner_profession": dossier.practitioner_profession,
        "agb_code": dossier.agb_code,
        "legal_basis": dossier.legal_basis,
        "circumstances": dossier.circumstances,
        "diagnosis": dossier.diagnosis,
        "start_date": dossier.start_date.isoformat(),
        "end_date": "",
        "version": str(dossier.version),
        "change_reason": "correctie na overleg",
    }
    data.update(overrides)
    return data


def test_the_second_save_gets_a_conflict_and_keeps_both_versions(
    cast: Cast, as_user
) -> None:
    url = reverse("dossiers:dossier_edit", args=[cast.dossier.pk])
    http = as_user(cast.anna)
    opened = Dossier.objects.get(
        pk=cast.dossier.pk
    )  # both tabs open the form at version 1
    first = http.post(url, edit_form(opened, diagnosis="Eerste tab"))
    assert first.status_code == 302
    second = http.post(url, edit_form(opened, diagnosis="Tweede tab"))
    assert second.status_code == 409 or second.status_code == 200
    html = second.content.decode()
    assert "intussen door iemand anders gewijzigd" in html
    assert "Tweede tab" in html  # the user's own input is still in the form
    assert "Eerste tab" in html  # and the stored version is shown beside it
    stored = Dossier.objects.get(pk=cast.dossier.pk)
    assert stored.diagnosis == "Eerste tab"
    assert stored.version == 2
    # Saving again after seeing the conflict is a deliberate choice and succeeds.
    form = second.context["form"]
    assert form.data["version"] == "2"
    third = http.post(url, edit_form(opened, diagnosis="Tweede tab", version="2"))
    assert third.status_code == 302
    assert Dossier.objects.get(pk=cast.dossier.pk).diagnosis == "Tweede tab"
