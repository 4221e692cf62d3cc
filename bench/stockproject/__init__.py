"""A Django project as `django-admin startproject` makes it, for `bench/stock_django.py`."""
