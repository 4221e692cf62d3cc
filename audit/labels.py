"""The access log in plain Dutch (B1): one table for every place a person reads it.

Who-saw-what in the portal, the portal's log, the PDF afschrift's log and the
zorgverlener's log view all say an event with `describe`; nothing else turns an
`EventType`, a part (object type) or a field name into words, so no code or English word
reaches a reader. A test fails when an EventType has no label here.

A label says what the actor did, in the past tense, without the actor:
  done       "bekeek {part}", "gaf {recipient} toegang tot {dossier}"
  tried      what an attempt that failed wanted: "{part} te openen"
  done_self  the same act by the client on their own record, where it reads differently
             ("downloadde" their copy, where anyone else "ontving" one)
Placeholders: {dossier} and {part} are said to the client ("uw dossier") or about the
client ("het dossier", for the zorgverlener); {recipient} is who got access or a copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from audit.models import ENTRY_PARTS, Action, EventType, Outcome

TIMES_ARE = "Nederlandse tijd"
"""How every time in a log is labelled: local time (Europe/Amsterdam), said so."""


ROLES = {
    "zorgverlener": "zorgverlener",
    "client": "cliënt",
    "inspecteur": "IGJ-inspecteur",
    "beheerder": "beheerder",
}
BASES = {
    "own": "als uw zorgverlener",
    "grant": "met uw toestemming",
    "inspector": "als toezichthouder (IGJ)",
    "self": "uzelf",
    "proxy": "namens u",
    "none": "zonder grond",
}
OUTCOMES = {
    Outcome.SUCCESS: "gelukt",
    Outcome.DENIED: "geweigerd",
    Outcome.ERROR: "mislukt door een fout",
}


def role_words(role: str) -> str:
    return ROLES.get(role, "onbekende rol")


class Voice(Enum):
    CLIENT = "client"  # to the client: "uw dossier"
    STAFF = "staff"  # to the zorgverlener or inspector: "het dossier"


@dataclass(frozen=True)
class Part:
    client: str
    staff: str


PARTS: dict[str, Part] = {
    "dossier": Part("uw dossier", "het dossier"),
    "client": Part("uw persoonsgegevens", "de persoonsgegevens"),
    "attachment": Part("een bijlage", "een bijlage"),
    "ownstatement": Part("uw eigen verklaring", "de eigen verklaring"),
    "rightsrequest": Part("uw verzoek", "het verzoek"),
    "request": Part("uw verzoek", "het verzoek"),
    "accessgrant": Part("de toegang tot uw dossier", "de toegang tot het dossier"),
    "accesslog": Part("het logboek van uw dossier", "het logboek van het dossier"),
    "representation": Part("wie namens u optreedt", "wie namens de cliënt optreedt"),
    "invitation": Part(
        "de uitnodiging voor het portaal", "de uitnodiging voor het portaal"
    ),
    "export": Part("een afschrift van uw dossier", "een afschrift van het dossier"),
    "retention": Part("de bewaartermijn van uw dossier", "de bewaartermijn"),
    "restriction": Part("de beperking van uw dossier", "de beperking van het dossier"),
    "destruction": Part("de vernietiging van uw dossier", "de vernietiging"),
    "dossier.history": Part("eerdere versies van uw dossier", "eerdere versies"),
    "subcontract": Part("de afspraken met de hoofdaannemer", "de onderaanneming"),
    "principal_dossier_check": Part("de controle door de hoofdaannemer", "de controle"),
}
"""Parts of the record by object type. The entry kinds' parts come from their own table
(`dossiers.entries.KINDS`, `register_entry_part` at start-up): `audit` sits below
`dossiers` and does not import it."""


def register_entry_part(model_name: str, client: str, staff: str) -> None:
    """An entry kind's words, and those of its history ("eerdere versies van ...")."""
    PARTS[model_name] = Part(client, staff)
    PARTS[f"{model_name}.history"] = Part(
        f"eerdere versies van {client}", f"eerdere versies van {staff}"
    )


SOME_PART = Part("uw dossier", "het dossier")  # a part this table does not know yet


@dataclass(frozen=True)
class Label:
    done: str
    tried: str = "{part} te openen"
    done_self: str = ""


def _entry_labels() -> dict[EventType, Label]:
    labels = {}
    for entry in ENTRY_PARTS:
        labels[EventType.view_of(entry)] = Label("bekeek {part}")
        labels[EventType.create_of(entry)] = Label(
            "legde iets vast in {part}", "iets vast te leggen in {part}"
        )
        labels[EventType.update_of(entry)] = Label(
            "wijzigde {part}", "{part} te wijzigen"
        )
        labels[EventType(f"{entry}.history.view")] = Label("bekeek {part}")
    return labels


_COPY = "een afschrift van {dossier}"
LABELS: dict[EventType, Label] = {
    EventType.ACCESS_DENIED: Label("probeerde {part} te openen"),
    EventType.LOGIN: Label("logde in", "in te loggen"),
    EventType.LOGIN_FAILED: Label("probeerde in te loggen", "in te loggen"),
    EventType.LOGIN_REFUSED: Label("probeerde in te loggen", "in te loggen"),
    EventType.LOGOUT: Label("logde uit", "uit te loggen"),
    EventType.SESSION_EXPIRED_IDLE: Label(
        "werd uitgelogd omdat er een tijd niets gebeurde", "door te werken"
    ),
    EventType.SESSION_EXPIRED_ABSOLUTE: Label(
        "werd uitgelogd omdat de sessie te lang duurde", "door te werken"
    ),
    EventType.SESSION_END_OTHERS: Label(
        "sloot de andere sessies af", "de andere sessies af te sluiten"
    ),
    EventType.PASSWORD_CHANGE: Label(
        "wijzigde het wachtwoord", "het wachtwoord te wijzigen"
    ),
    EventType.PASSWORD_RESET: Label(
        "stelde een nieuw wachtwoord in", "een nieuw wachtwoord in te stellen"
    ),
    EventType.PASSWORD_RESET_LINK: Label(
        "opende een e-mail voor een nieuw wachtwoord die niet meer geldig was",
        "een e-mail voor een nieuw wachtwoord te openen",
    ),
    EventType.PASSWORD_RESET_LIMITED: Label(
        "vroeg te vaak een nieuw wachtwoord aan; er ging geen e-mail weg",
        "een nieuw wachtwoord aan te vragen",
    ),
    EventType.OTP_BACKUP_CODES_DOWNLOAD: Label(
        "downloadde de reservecodes", "de reservecodes te downloaden"
    ),
    EventType.OTP_QR: Label(
        "opende de code voor de tweede stap", "de code voor de tweede stap te openen"
    ),
    EventType.OTP_SETUP: Label(
        "stelde de tweede stap in", "de tweede stap in te stellen"
    ),
    EventType.OTP_SETUP_FAILED: Label(
        "probeerde de tweede stap in te stellen", "de tweede stap in te stellen"
    ),
    EventType.OTP_VERIFIED: Label(
        "deed de tweede stap van het inloggen", "de tweede stap te doen"
    ),
    EventType.OTP_FAILED: Label(
        "probeerde de tweede stap van het inloggen", "de tweede stap te doen"
    ),
    EventType.OTP_REUSE: Label(
        "gebruikte een code voor de tweede stap opnieuw", "de tweede stap te doen"
    ),
    EventType.OTP_REMOVED: Label(
        "verwijderde een inlogmethode", "een inlogmethode te verwijderen"
    ),
    EventType.OTP_BACKUP_CODES: Label(
        "maakte nieuwe reservecodes", "nieuwe reservecodes te maken"
    ),
    EventType.CLIENT_LIST: Label("bekeek de lijst met cliënten", "de lijst te openen"),
    EventType.CLIENT_SEARCH: Label("zocht in de cliënten", "te zoeken"),
    EventType.CLIENT_VIEW: Label("bekeek {part}"),
    EventType.CLIENT_CREATE: Label(
        "legde {part} voor het eerst vast", "{part} vast te leggen"
    ),
    EventType.CLIENT_UPDATE: Label("wijzigde {part}", "{part} te wijzigen"),
    EventType.DOSSIER_VIEW: Label("bekeek {part}"),
    EventType.DOSSIER_CREATE: Label("opende {part}", "{part} te openen"),
    EventType.DOSSIER_UPDATE: Label("wijzigde {part}", "{part} te wijzigen"),
    EventType.DOSSIER_HISTORY_VIEW: Label("bekeek {part}"),
    EventType.DOSSIER_DESTROY: Label(
        "vernietigde {dossier}", "{dossier} te vernietigen"
    ),
    **_entry_labels(),
    EventType.ATTACHMENT_VIEW: Label("bekeek {part}"),
    EventType.ATTACHMENT_CREATE: Label(
        "voegde een bijlage toe aan {dossier}", "een bijlage toe te voegen"
    ),
    EventType.RETENTION_LIST: Label(
        "bekeek de lijst met bewaartermijnen", "de lijst te openen"
    ),
    EventType.RETENTION_VIEW: Label("bekeek {part}"),
    EventType.RETENTION_EXTEND: Label(
        "verlengde de bewaartermijn van {dossier}", "de bewaartermijn te verlengen"
    ),
    EventType.RESTRICTION_VIEW: Label("bekeek {part}"),
    EventType.RESTRICTION_SET: Label(
        "beperkte het gebruik van {dossier}", "het gebruik van {dossier} te beperken"
    ),
    EventType.RESTRICTION_LIFT: Label(
        "hief de beperking van {dossier} op", "de beperking op te heffen"
    ),
    EventType.DESTRUCTION_VIEW: Label("bekeek {part}"),
    EventType.ACCESSGRANT_VIEW: Label("bekeek wie toegang heeft tot {dossier}"),
    EventType.GRANT_CREATE: Label(
        "gaf {recipient} toegang tot {dossier}", "een collega toegang te geven"
    ),
    EventType.GRANT_REVOKE: Label(
        "nam {recipient} de toegang tot {dossier} af", "een toegang in te trekken"
    ),
    EventType.INSPECTOR_CREATE: Label(
        "gaf {recipient} van de Inspectie (IGJ) toegang",
        "de Inspectie toegang te geven",
    ),
    EventType.ACCESSLOG_VIEW: Label("bekeek {part}"),
    EventType.ACCESSLOG_EXPORT: Label(
        "downloadde het logboek van {dossier}", "het logboek te downloaden"
    ),
    EventType.EXPORT_VIEW: Label("opende de pagina voor een afschrift"),
    EventType.EXPORT_JSON: Label(
        f"ontving {_COPY} (JSON-bestand)",
        f"{_COPY} te downloaden",
        f"downloadde {_COPY} (JSON-bestand)",
    ),
    EventType.EXPORT_FHIR: Label(
        f"ontving {_COPY} (FHIR-bestand)",
        f"{_COPY} te downloaden",
        f"downloadde {_COPY} (FHIR-bestand)",
    ),
    EventType.EXPORT_PDF: Label(
        f"ontving {_COPY} (PDF)",
        f"{_COPY} te downloaden",
        f"downloadde {_COPY} (PDF)",
    ),
    EventType.EXPORT_PACKAGE: Label(
        f"ontving {_COPY} (pakket met alle bestanden)",
        f"{_COPY} te downloaden",
        f"downloadde {_COPY} (pakket met alle bestanden)",
    ),
    EventType.EXPORT_PDF_REQUESTED: Label(
        f"vroeg {_COPY} aan (PDF)", f"{_COPY} aan te vragen"
    ),
    EventType.EXPORT_PACKAGE_REQUESTED: Label(
        f"vroeg {_COPY} aan (pakket met alle bestanden)", f"{_COPY} aan te vragen"
    ),
    EventType.INVITATION_VIEW: Label("bekeek {part}"),
    EventType.INVITATION_CREATE: Label(
        "stuurde een uitnodiging voor het portaal", "een uitnodiging te sturen"
    ),
    EventType.INVITATION_ACCEPT: Label(
        "nam de uitnodiging voor het portaal aan", "de uitnodiging aan te nemen"
    ),
    EventType.INVITATION_LIMITED: Label(
        "stuurde te vaak een uitnodiging; er ging geen e-mail weg",
        "een uitnodiging te sturen",
    ),
    EventType.REPRESENTATION_VIEW: Label("bekeek {part}"),
    EventType.REPRESENTATION_CREATE: Label(
        "legde vast wie namens u optreedt", "vast te leggen wie namens u optreedt"
    ),
    EventType.REPRESENTATION_END: Label(
        "beëindigde dat iemand namens u optreedt",
        "te beëindigen dat iemand namens u optreedt",
    ),
    EventType.REPRESENTATION_REFUSE: Label(
        "weigerde een ouder of voogd de toegang tot uw dossier",
        "een ouder of voogd de toegang te weigeren",
    ),
    EventType.REPRESENTATION_ALLOW: Label(
        "gaf een ouder of voogd de toegang tot uw dossier weer",
        "een ouder of voogd de toegang weer te geven",
    ),
    EventType.NOTIFICATIONS_PREFERENCES: Label(
        "stelde in welke e-mails er komen", "in te stellen welke e-mails er komen"
    ),
    EventType.PORTAL_CHOOSE: Label(
        "koos namens wie het portaal werd gebruikt", "te kiezen namens wie"
    ),
    EventType.COLLEAGUE_CREATE: Label(
        "maakte een account voor een collega", "een account voor een collega te maken"
    ),
    EventType.INVITATION_INVALID: Label(
        "opende een uitnodiging die niet meer geldig was", "een uitnodiging te openen"
    ),
    EventType.OWNSTATEMENT_VIEW: Label("bekeek {part}"),
    EventType.OWNSTATEMENT_CREATE: Label(
        "schreef een eigen verklaring bij {dossier}",
        "een eigen verklaring te schrijven",
    ),
    EventType.RIGHTSREQUEST_LIST: Label("bekeek de lijst met verzoeken"),
    EventType.RIGHTSREQUEST_VIEW: Label("bekeek {part}"),
    EventType.RIGHTSREQUEST_CREATE: Label(
        "diende een verzoek in over {dossier}", "een verzoek in te dienen"
    ),
    EventType.RIGHTSREQUEST_DECIDE: Label(
        "besliste over een verzoek over {dossier}", "over een verzoek te beslissen"
    ),
    EventType.PRACTICE_READINESS: Label("bekeek het overzicht van de praktijk"),
    EventType.PRACTICE_READINESS_PDF: Label(
        "downloadde het overzicht van de praktijk", "het overzicht te downloaden"
    ),
    EventType.PRIVACY_PUBLISH: Label(
        "publiceerde de privacyverklaring", "de privacyverklaring te publiceren"
    ),
    EventType.SUBCONTRACT_VIEW: Label("bekeek {part}"),
    EventType.SUBCONTRACT_SAVE: Label("legde {part} vast", "{part} vast te leggen"),
    EventType.SUBCONTRACT_CHECK: Label(
        "legde de controle door de hoofdaannemer vast", "een controle vast te leggen"
    ),
}

ATTEMPT_ENDS = {
    Outcome.DENIED: "dat werd geweigerd",
    Outcome.ERROR: "dat lukte niet door een fout",
}


def part_words(object_type: str, voice: Voice) -> str:
    part = PARTS.get(object_type, SOME_PART)
    return part.client if voice is Voice.CLIENT else part.staff


def describe(
    event_type: str,
    outcome: str,
    *,
    object_type: str = "",
    action: str = "",
    recipient: str = "",
    voice: Voice = Voice.CLIENT,
    by_self: bool = False,
) -> str:
    """What the actor did, in words: "bekeek uw dossier", "ontving een afschrift van het
    dossier (PDF)", "probeerde uw doelen te wijzigen; dat werd geweigerd".

    `by_self`: the client acting on their own record. An event type from before this
    table (none are known) reads as a look at the record, never as its code."""
    label = LABELS.get(EventType(event_type)) if event_type in _VALUES else None
    label = label or Label("gebruikte {part}")
    words = {
        "part": part_words(object_type, voice),
        "dossier": part_words("dossier", voice),
        "recipient": recipient or _("iemand"),
    }
    if outcome == Outcome.SUCCESS:
        return (label.done_self if by_self and label.done_self else label.done).format(
            **words
        )
    tried = label.tried
    if event_type == EventType.ACCESS_DENIED and action not in ("", Action.READ):
        tried = "{part} te wijzigen"
    end = ATTEMPT_ENDS.get(Outcome(outcome), ATTEMPT_ENDS[Outcome.DENIED])
    return f"probeerde {tried.format(**words)}; {end}"


_VALUES = frozenset(EventType.values)


@cache
def _models_by_name() -> dict[str, type]:
    return {model.__name__.lower(): model for model in apps.get_models()}


def field_words(object_type: str, fields: list[str]) -> list[str]:
    """The names a form shows for stored fields ("startdatum", not "start_date"); a field
    the model no longer has is said as "een gegeven"."""
    model = _models_by_name().get(object_type.split(".")[0])
    names = []
    for name in fields:
        try:
            said = str(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
        except (AttributeError, FieldDoesNotExist):  # no such model or field
            said = ""
        # Django's default verbose name is the code with spaces: never shown.
        names.append(
            said if said and said != name.replace("_", " ") else _("een gegeven")
        )
    return names
