"""The words Dropline never shows, from the style guide (docs/STYLE.md), in one list that
the static check (tests/site/test_style.py) and the browser crawl both read.

Each rule is a regular expression, the language of the text it applies to ("en" for
English text, "es" for Spanish) and the reason, which says what to write instead.
``violations(text, language)`` answers the rules a text breaks."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    language: str  # "en" or "es"
    reason: str
    example: str  # a text the rule must catch (the check proves each rule bites)


def _rule(pattern: str, language: str, reason: str, example: str) -> Rule:
    return Rule(re.compile(pattern), language, reason, example)


# Spanish imperatives in the tú form that start a sentence, a button or a label. Their
# usted forms end differently (Ingrese, Escriba, Elija...), so none of these is a
# usted form; in the middle of a sentence "confirma" can be "usted confirma", so only
# a capitalised one at the start of a sentence counts.
_TU_IMPERATIVES = (
    "Ingresa|Introduce|Escribe|Elige|Haz|Pulsa|Toca|Revisa|Vuelve|Intenta|Usa|Agrega|"
    "Selecciona|Verifica|Inicia|Cierra|Cambia|Guarda|Confirma|Completa|Comprueba|Copia|"
    "Descarga|Escanea|Contacta|Llama|Espera|Abre|Busca|Crea|Elimina|Actualiza|Sigue|Mira"
)

FORBIDDEN: tuple[Rule, ...] = (
    # English: one spelling of email, US spelling, the product's own words.
    _rule(r"\b[Ee]-[Mm]ail", "en", 'write "email" (never "e-mail")', "Your e-mail address"),
    _rule(r"\b[Cc]entre(s|d)?\b", "en", 'US spelling: "center"', "Notification centre"),
    _rule(
        r"\b[Rr]ecognis(e|ed|es|ing)\b",
        "en",
        'US spelling: "recognize"',
        "If you don't recognise this",
    ),
    _rule(r"\b[Cc]olour", "en", 'US spelling: "color"', "Pick a colour"),
    _rule(r"\b[Cc]ancell(ed|ing)\b", "en", 'US spelling: "canceled", "canceling"', "Cancelled"),
    _rule(
        r"\b[Aa]uthoris(e|ed|es|ing|ation)\b", "en", 'US spelling: "authorized"', "Authorised user"
    ),
    _rule(r"\b[Oo]rganis(e|ed|es|ing|ation)\b", "en", 'US spelling: "organize"', "Organisation"),
    _rule(r"\b[Bb]ehaviour", "en", 'US spelling: "behavior"', "Browser behaviour"),
    _rule(r"\b[Ll]icence\b", "en", 'US spelling: "license"', "Licence"),
    _rule(r"\b[Ff]avourite", "en", 'US spelling: "favorite"', "Favourite channels"),
    _rule(r"\b[Rr]e-send\b", "en", 'write "resend" or "send again"', "Re-send Verification"),
    _rule(r"\b[Ll]og[ -](in|out)\b", "en", 'write "sign in" and "sign out"', "Log in"),
    _rule(
        r"\b[Rr]eauthenticate\b", "en", 'jargon: write "confirm it is you"', "Please reauthenticate"
    ),
    _rule(r"\banchor day\b", "en", 'jargon: write "bill date"', "Bill cycle anchor day"),
    _rule(
        r"\bSuccessfully\b",
        "en",
        "say what happened, not that it succeeded",
        "Successfully signed in",
    ),
    # Spanish: US Spanish, formal "usted", Latin-American words.
    _rule(r"(?<![({])\b[Ee]-?mail\b(?![)}])", "es", 'escriba "correo electrónico"', "Su e-mail"),
    _rule(r"\b[Aa]ñad(ir|e|a|ido|ida|idos|idas)\b", "es", 'Latin America: "agregar"', "Añadir"),
    _rule(r"\b[Rr]eenvi(ar|e|a|ado|ada)\b", "es", 'Latin America: "volver a enviar"', "Reenviar"),
    _rule(r"\b[Oo]rdenador(es)?\b", "es", 'Latin America: "computadora"', "Su ordenador"),
    _rule(r"\b[Ff]ichero(s)?\b", "es", 'Latin America: "archivo"', "Descargar fichero"),
    _rule(
        r"\b[Vv]uestr[oa]s?\b|\b[Vv]osotros\b",
        "es",
        'US Spanish: "ustedes", "su"',
        "Vuestra cuenta",
    ),
    _rule(r"\b[Tt]us?\b", "es", 'usted: "su", "sus" (never "tu", "tus")', "Ver tu cuenta"),
    _rule(r"\b[Tt]ú\b", "es", 'usted (never "tú")', "Si tú no lo hiciste"),
    _rule(r"\b[Tt]e\b", "es", 'usted: "le", "lo" (never "te")', "Te enviamos un código"),
    _rule(r"\b[Cc]ontigo\b", "es", 'usted: "con usted"', "Nos pondremos en contacto contigo"),
    _rule(
        r"\b(puedes|quieres|tienes|debes|estás|has|eres|necesitas|recibiste|hiciste|"
        r"ingresaste|olvidaste|iniciaste)\b",
        "es",
        "usted: the verb in the third person (puede, quiere, tiene, recibió...)",
        "Si no puedes iniciar sesión",
    ),
    _rule(
        rf"(?:^|[.!?:]\s+|[¿¡]|^\s+)({_TU_IMPERATIVES})\b",
        "es",
        "usted: the imperative in the usted form (Ingrese, Escriba, Elija...)",
        "Ingresa el código",
    ),
)


def violations(text: str, language: str) -> list[Rule]:
    """The rules for ``language`` that ``text`` breaks."""
    return [rule for rule in FORBIDDEN if rule.language == language and rule.pattern.search(text)]
