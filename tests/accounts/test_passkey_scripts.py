"""The passkey library's JavaScript under our CSP and WhiteNoise: static files of our own
origin with the policy's nonce, configuration as JSON, texts in Dutch, and a production
collectstatic (hashed, compressed) that includes them (issue 28)."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import reverse

from tests.personas import Cast

LIBRARY_JS = (
    "django_otp_webauthn/otp_webauthn_register.js",
    "django_otp_webauthn/otp_webauthn_auth.js",
)


def scripts_of(html: str) -> list[str]:
    return [part.split(">")[0] for part in html.split("<script")[1:]]


def test_the_setup_page_has_no_inline_script(cast: Cast) -> None:
    http = HttpClient(HTTP_HOST="localhost")
    http.force_login(cast.bram)
    response = http.get(reverse("accounts:otp_setup"), secure=True)
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    config, *scripts = scripts_of(response.content.decode())
    assert 'id="otp_webauthn_config" type="application/json"' in config
    for script in scripts:
        assert f'nonce="{nonce}"' in script and 'src="/' in script, script
    assert any(LIBRARY_JS[0] in s for s in scripts)


def test_the_scripts_are_served_as_javascript_by_whitenoise(cast: Cast) -> None:
    http = HttpClient()
    for name in (*LIBRARY_JS, "passkey.js"):
        response = http.get(settings.STATIC_URL + name)
        assert response.status_code == 200, name
        # a module script of another type is refused by the browser
        assert response["Content-Type"].startswith("text/javascript"), name


def test_the_library_texts_are_plain_dutch() -> None:
    script = HttpClient().get(reverse("accounts:passkey_messages")).content.decode()
    assert "Inloggen met uw telefoon instellen" in script
    assert "Registreer een Passkey" not in script  # the library's own 'je' translation


def test_production_collectstatic_includes_them_hashed_and_compressed(
    tmp_path: Path,
) -> None:
    storages = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        },
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        for name in (*LIBRARY_JS, "passkey.js"):
            hashed = staticfiles_storage.stored_name(name)
            assert hashed != name
            assert (tmp_path / hashed).exists() and (tmp_path / f"{hashed}.gz").exists()
