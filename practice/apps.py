from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "practice"
    verbose_name = "Praktijk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connected once the apps are loaded: practice.services reads models.
        from ecd.routines import routine_finished
        from practice.services import routine_note

        routine_finished.connect(routine_note, dispatch_uid="practice.routine_note")
