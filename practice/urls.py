from django.urls import path

from practice import views

app_name = "practice"
urlpatterns = [
    path(
        "praktijk/verantwoording/",
        views.readiness_overview,
        name="readiness",
    ),
    path(
        "praktijk/verantwoording.pdf",
        views.readiness_pdf,
        name="readiness_pdf",
    ),
    path("praktijk/privacyverklaring/", views.privacy_edit, name="privacy_edit"),
    path(
        "praktijken/<uuid:practice_id>/privacyverklaring/",
        views.privacy_public,
        name="privacy_public",
    ),
    path(
        "dossiers/<uuid:dossier_id>/opdrachtgever/",
        views.subcontract_edit,
        name="subcontract",
    ),
    path(
        "dossiers/<uuid:dossier_id>/opdrachtgever/controle/",
        views.principal_check,
        name="principal_check",
    ),
]
