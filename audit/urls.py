from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("dossiers/<uuid:dossier_id>/logboek/", views.dossier_log, name="dossier_log"),
    path(
        "dossiers/<uuid:dossier_id>/logboek.csv",
        views.dossier_log_csv,
        name="dossier_log_csv",
    ),
]
