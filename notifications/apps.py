from django.apps import AppConfig
from django.core.signals import request_finished, request_started


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Meldingen per e-mail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connected once the apps are loaded: the sender reads models.
        from notifications import sender

        request_started.connect(sender.request_started, dispatch_uid="notify.started")
        request_finished.connect(
            sender.request_finished, dispatch_uid="notify.finished"
        )
