from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "Cliëntendossiers"

    def ready(self) -> None:
        from dossiers import history

        history.register_models()
