"""`startproject`'s settings, less the admin, on the bench's PostgreSQL.

Kept as Django ships them on purpose: database sessions, the default middleware, the model
authentication backend. The one change is a persistent database connection (CONN_MAX_AGE),
as the ECD runs with, so that stock Django is not timed opening a connection per request.
"""

import os

import dj_database_url

# A benchmark's own key: this project is never deployed.
SECRET_KEY = "stock-django-benchmark-only-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "stockproject.urls"
WSGI_APPLICATION = "stockproject.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # The ECD's floor template, word for word.
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {
                        "status.html": '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
                        "<title>ECD</title></head><body><p>ECD werkt.</p></body></html>\n"
                    },
                )
            ],
        },
    }
]
DATABASES = {
    "default": dj_database_url.parse(os.environ["STOCK_DATABASE_URL"], conn_max_age=60)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
LOGIN_URL = "/login/"
