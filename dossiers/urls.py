from django.urls import path, register_converter

from dossiers import export_views, lifecycle_views, views
from dossiers.entries import EntryKindConverter

register_converter(EntryKindConverter, "entry_kind")

app_name = "dossiers"
urlpatterns = [
    path("clienten/", views.client_list, name="client_list"),
    path("clienten/nieuw/", views.client_create, name="client_create"),
    path("clienten/<uuid:client_id>/bewerken/", views.client_edit, name="client_edit"),
    path(
        "clienten/<uuid:client_id>/dossier/nieuw/",
        views.dossier_create,
        name="dossier_create",
    ),
    path("dossiers/<uuid:dossier_id>/", views.dossier_detail, name="dossier_detail"),
    path(
        "dossiers/<uuid:dossier_id>/bewerken/", views.dossier_edit, name="dossier_edit"
    ),
    path(
        "dossiers/<uuid:dossier_id>/<entry_kind:kind>/nieuw/",
        views.entry_create,
        name="entry_create",
    ),
    path(
        "dossiers/<uuid:dossier_id>/<entry_kind:kind>/<uuid:entry_id>/bewerken/",
        views.entry_edit,
        name="entry_edit",
    ),
    path(
        "dossiers/<uuid:dossier_id>/bijlagen/nieuw/",
        views.attachment_create,
        name="attachment_create",
    ),
    path(
        "dossiers/<uuid:dossier_id>/bijlagen/<uuid:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "dossiers/<uuid:dossier_id>/afschrift.json",
        export_views.export_json,
        name="export_json",
    ),
    path(
        "dossiers/<uuid:dossier_id>/afschrift.fhir.json",
        export_views.export_fhir,
        name="export_fhir",
    ),
    path(
        "dossiers/<uuid:dossier_id>/afschrift/",
        export_views.pdf_request,
        name="export_pdf",
    ),
    path(
        "dossiers/<uuid:dossier_id>/afschrift/<uuid:job_id>/",
        export_views.pdf_job,
        name="export_job",
    ),
    path(
        "dossiers/<uuid:dossier_id>/afschrift/<uuid:job_id>/download/",
        export_views.pdf_download,
        name="export_download",
    ),
    path("bewaartermijnen/", lifecycle_views.retention_list, name="retention_list"),
    path("vernietigd/", lifecycle_views.destruction_list, name="destruction_list"),
    path(
        "dossiers/<uuid:dossier_id>/bewaartermijn/",
        lifecycle_views.retention_extend,
        name="retention_extend",
    ),
    path(
        "dossiers/<uuid:dossier_id>/beperking/",
        lifecycle_views.restriction,
        name="restriction",
    ),
    path(
        "dossiers/<uuid:dossier_id>/vernietigen/",
        lifecycle_views.destroy,
        name="destroy",
    ),
    path(
        "dossiers/<uuid:dossier_id>/geschiedenis/",
        lifecycle_views.dossier_history,
        name="dossier_history",
    ),
    path(
        "dossiers/<uuid:dossier_id>/<entry_kind:kind>/<uuid:entry_id>/geschiedenis/",
        lifecycle_views.entry_history,
        name="entry_history",
    ),
]
