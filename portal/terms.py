"""The one table of words a client may not know, each with one line in plain Dutch (B1).

Pages show the line where the word is used (`{% explain "beperking" %}`, portal_terms);
tests/portal/test_terms_explained.py checks that every portal page that uses a word
explains it.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TERMS: dict[str, Promise] = {
    "inzage": _("U mag alles lezen wat uw zorgverlener over u heeft vastgelegd."),
    "afschrift": _(
        "Een kopie van uw dossier, als bestand of op papier. Dat is gratis."
    ),
    "correctie": _("U vraagt om een fout in uw dossier te verbeteren."),
    "vernietiging": _("U vraagt om uw dossier, of een deel ervan, te laten wissen."),
    "beperking": _(
        "Uw gegevens worden dan alleen bewaard en niet gebruikt, tot dat weer mag."
    ),
    "bezwaar": _(
        "U zegt dat u het niet eens bent met hoe uw gegevens worden gebruikt."
    ),
    "noodprocedure": _(
        "In een noodgeval mag een zorgverlener uw dossier openen zonder dat u toestemming gaf. Dat wordt altijd vastgelegd."
    ),
    "machtiging": _(
        "Een schriftelijke toestemming voor één taak, bijvoorbeeld voor de inspectie (IGJ) bij een onderzoek."
    ),
    "toestemming": _(
        "U zegt ja tegen een behandeling of tegen iemand die uw dossier mag lezen. U kunt dat altijd weer intrekken."
    ),
    "grondslag": _(
        "De reden in de wet (AVG) waarom uw zorgverlener uw gegevens mag gebruiken."
    ),
}


def explanation(term: str) -> Promise:
    return TERMS[term]
