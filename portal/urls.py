from django.urls import path

from portal import views

app_name = "portal"
urlpatterns = [
    path("portaal/", views.home, name="home"),
    path("portaal/bijlagen/<uuid:attachment_id>/", views.attachment, name="attachment"),
    path(
        "portaal/bijlagen/<uuid:attachment_id>/download/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("portaal/kiezen/", views.choose, name="choose"),
    path("portaal/wie-keek/", views.who_saw, name="who_saw"),
    path("portaal/verklaring/", views.statement_create, name="statement_create"),
    path("portaal/verzoeken/", views.requests, name="requests"),
    path("portaal/toegang/", views.grants, name="grants"),
    path(
        "portaal/toegang/<uuid:grant_id>/intrekken/",
        views.grant_revoke_view,
        name="grant_revoke",
    ),
    path("uitnodiging/", views.invitation_accept, name="invitation_accept"),
    path("uitnodiging/<str:token>/", views.invitation_open, name="invitation_open"),
    path("clienten/<uuid:client_id>/uitnodigen/", views.invite, name="invite"),
    path("verzoeken/", views.request_queue, name="request_queue"),
    path("verzoeken/<uuid:request_id>/", views.request_decide, name="request_decide"),
]
