from django.urls import include, path

from accounts.views import home
from ecd.views import status

urlpatterns = [
    path("", home, name="home"),
    path("status/", status, name="status"),
    path("", include("accounts.urls")),
    path("", include("dossiers.urls")),
    path("", include("consent.urls")),
    path("", include("dossiers.log_urls")),
    path("", include("portal.urls")),
    path("", include("practice.urls")),
    path("", include("notifications.urls")),
]

handler404 = "ecd.errors.not_found"
handler500 = "ecd.errors.server_error"
handler403 = "ecd.errors.forbidden"
handler400 = "ecd.errors.bad_request"
