"""The shared part of the web project: base templates, static files, locale, commands."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kansrijk.web"
    label = "web"
    verbose_name = "Kansrijk"
