from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "Cliëntendossiers"

    def ready(self) -> None:
        # Models must be loaded before the change history can register them.
        from dossiers import history

        history.register_models()
