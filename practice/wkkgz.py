"""The Wkkgz items of a cliëntendossier (REQUIREMENTS.md §1), as an onderaannemer checks
them in an opdrachtgever's dossier."""

from django.utils.translation import gettext_lazy as _

ITEMS = (
    ("bsn", _("BSN en gecontroleerd identiteitsbewijs (bij Zvw/Wlz)")),
    ("practitioner", _("Behandelaar met AGB-code")),
    ("circumstances", _("Omstandigheden van de cliënt")),
    ("diagnosis", _("Diagnose")),
    ("goals", _("Doelen en voorkeuren van de cliënt")),
    ("treatments", _("Voorgestelde behandelingen")),
    ("discussions", _("Overleg met de cliënt")),
    ("consent", _("Toestemming voor de behandelingen")),
    ("care_moments", _("Zorgmomenten met de bereikte resultaten")),
    ("experiences", _("Ervaringen van de cliënt")),
)
LABELS = dict(ITEMS)
