from django.urls import path

from accounts import passkeys, views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("inloggen/code/", views.otp_verify, name="otp_verify"),
    path("inloggen/tweede-stap-instellen/", views.otp_setup, name="otp_setup"),
    path("inloggen/code-instellen/", views.totp_setup, name="totp_setup"),
    path("inloggen/code-instellen/qr.svg", views.otp_qr, name="otp_qr"),
    path(
        "inloggen/passkey/instellen/begin/",
        passkeys.RegisterBeginView.as_view(),
        name="passkey_register_begin",
    ),
    path(
        "inloggen/passkey/instellen/klaar/",
        passkeys.RegisterCompleteView.as_view(),
        name="passkey_register_complete",
    ),
    path(
        "inloggen/passkey/begin/",
        passkeys.VerifyBeginView.as_view(),
        name="passkey_verify_begin",
    ),
    path(
        "inloggen/passkey/klaar/",
        passkeys.VerifyCompleteView.as_view(),
        name="passkey_verify_complete",
    ),
    path(
        "inloggen/passkey/teksten.js",
        passkeys.PasskeyMessagesView.as_view(),
        name="passkey_messages",
    ),
    path(
        "account/reservecodes.txt",
        views.backup_codes_download,
        name="backup_codes_download",
    ),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("account/inlogmethoden/", views.security, name="security"),
    path(
        "account/inlogmethoden/reservecodes/",
        views.backup_codes_new,
        name="backup_codes_new",
    ),
    path(
        "account/inlogmethoden/<int:passkey_id>/verwijderen/",
        views.passkey_remove,
        name="passkey_remove",
    ),
    path("account/sessies/", views.session_list, name="session_list"),
    path(
        "account/sessies/beeindigen/",
        views.session_end_others,
        name="session_end_others",
    ),
    path(
        "account/wachtwoord/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"
    ),
    path(
        "wachtwoord-vergeten/verzonden/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-vergeten/nieuw/",
        views.PasswordResetNewView.as_view(),
        name="password_reset_new",
    ),
    path(
        "wachtwoord-vergeten/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
]
