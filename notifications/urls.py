from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("portaal/meldingen/", views.portal_preferences, name="portal_preferences"),
    path("account/meldingen/", views.account_preferences, name="account_preferences"),
]
