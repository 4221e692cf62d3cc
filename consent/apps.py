from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = "Toegang en toestemming"

    def ready(self) -> None:
        # Imported here: the rules read models, which exist only once apps are ready.
        import consent.services  # noqa: F401  (connects forget_grants to destruction)
        from consent.access import BASES
        from dossiers.access import register_basis

        for basis in BASES:
            register_basis(basis)
