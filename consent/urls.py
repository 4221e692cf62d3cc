from django.urls import path

from consent import views

app_name = "consent"
urlpatterns = [
    path("dossiers/<uuid:dossier_id>/toegang/", views.grant_list, name="grant_list"),
    path(
        "dossiers/<uuid:dossier_id>/toegang/<uuid:grant_id>/intrekken/",
        views.grant_revoke,
        name="grant_revoke",
    ),
    path("inspecties/", views.mandate_list, name="mandate_list"),
    path(
        "inspecties/<uuid:mandate_id>/uitnodigen/",
        views.mandate_invite,
        name="mandate_invite",
    ),
    path("collega-uitnodigen/", views.colleague_invite, name="colleague_invite"),
    path(
        "dossiers/<uuid:dossier_id>/vertegenwoordigers/",
        views.representation_list,
        name="representation_list",
    ),
    path(
        "dossiers/<uuid:dossier_id>/vertegenwoordigers/<uuid:representation_id>/beeindigen/",
        views.representation_end,
        name="representation_end",
    ),
    path(
        "dossiers/<uuid:dossier_id>/vertegenwoordigers/<uuid:representation_id>/weigeren/",
        views.representation_refusal,
        name="representation_refusal",
    ),
    path(
        "dossiers/<uuid:dossier_id>/vertegenwoordigers/<uuid:representation_id>/uitnodigen/",
        views.representation_invite,
        name="representation_invite",
    ),
]
