from django.urls import path

from dossiers import log_views as views

# The access log's pages keep the "audit" namespace (audit:dossier_log): they show the
# audit app's events, but read a dossier through dossiers.access, so they live above both.
app_name = "audit"
urlpatterns = [
    path("dossiers/<uuid:dossier_id>/logboek/", views.dossier_log, name="dossier_log"),
    path(
        "dossiers/<uuid:dossier_id>/logboek.csv",
        views.dossier_log_csv,
        name="dossier_log_csv",
    ),
]
