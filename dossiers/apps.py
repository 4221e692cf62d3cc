from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "Cliëntendossiers"

    def ready(self) -> None:
        # Models must be loaded before the change history can register them.
        from audit.labels import register_entry_part
        from dossiers import history
        from dossiers.entries import KINDS

        history.register_models()
        for kind in KINDS.values():  # the log's words for each kind come from its table
            register_entry_part(
                str(kind.model._meta.model_name), str(kind.part), str(kind.part_staff)
            )
