from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Cliëntportaal en rechtenverzoeken"

    def ready(self) -> None:
        import portal.services  # noqa: F401  (connects forget_requests to destruction)
