"""The words of a search, as both indexes read them: split on anything that is not a
letter or digit (so quotes, brackets and operators are never syntax), lower case, stop
words left out, and a light stem per language for a prefix match ("facturas" and
"facturación" both reach "factur…", "restarting" reaches "restart…")."""

from __future__ import annotations

import re
import unicodedata

MAX_TERMS = 12
MIN_STEM = 4
_WORD = re.compile(r"[^\W_]+")
# The accents both indexes fold (PostgreSQL's index expression uses the same pairs; ñ
# stays, as "año" is not "ano").
ACCENTED = "ÁÉÍÓÚÜáéíóúü"
PLAIN = "AEIOUUaeiouu"
_FOLD = str.maketrans(ACCENTED, PLAIN)

STOP_WORDS = {
    "en": frozenset(
        [
            "a",
            "an",
            "and",
            "are",
            "as",
            "at",
            "be",
            "but",
            "by",
            "can",
            "do",
            "does",
            "for",
            "from",
            "get",
            "got",
            "have",
            "how",
            "i",
            "if",
            "in",
            "into",
            "is",
            "it",
            "its",
            "me",
            "my",
            "no",
            "not",
            "of",
            "on",
            "or",
            "our",
            "so",
            "that",
            "the",
            "their",
            "them",
            "then",
            "there",
            "this",
            "to",
            "up",
            "was",
            "we",
            "what",
            "when",
            "where",
            "which",
            "who",
            "why",
            "will",
            "with",
            "you",
            "your",
        ]
    ),
    "es": frozenset(
        [
            "a",
            "al",
            "como",
            "con",
            "cual",
            "cuando",
            "de",
            "del",
            "donde",
            "el",
            "en",
            "es",
            "esta",
            "este",
            "esto",
            "hay",
            "la",
            "las",
            "le",
            "lo",
            "los",
            "me",
            "mi",
            "mis",
            "muy",
            "no",
            "o",
            "para",
            "pero",
            "por",
            "que",
            "qué",
            "se",
            "si",
            "sin",
            "su",
            "sus",
            "un",
            "una",
            "uno",
            "y",
            "ya",
            "yo",
        ]
    ),
}
SUFFIXES = {
    "en": ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "s"),
    "es": (
        "aciones",
        "acion",
        "amiento",
        "imiento",
        "mente",
        "ando",
        "iendo",
        "ados",
        "adas",
        "idos",
        "idas",
        "ado",
        "ada",
        "ido",
        "ida",
        "ar",
        "er",
        "ir",
        "es",
        "os",
        "as",
        "s",
        "a",
        "o",
        "e",
    ),
}


def fold(text: str) -> str:
    """The accents both indexes ignore, taken off; the length stays the same."""
    return text.translate(_FOLD)


def fold_all(text: str) -> str:
    """Every diacritic off (ñ too), as SQLite's tokenizer reads words."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def terms(query: str, language: str) -> list[str]:
    """The words worth looking for, in order, each once."""
    stop = STOP_WORDS.get(language, frozenset())
    found: list[str] = []
    for word in _WORD.findall(query.lower()):
        if len(word) < 2 or word in stop or fold(word) in stop or word in found:
            continue
        found.append(word)
    return found[:MAX_TERMS]


def stem(word: str, language: str) -> str:
    """A prefix of ``word`` that its other forms share, or the word itself."""
    folded = fold(word)
    for suffix in SUFFIXES.get(language, ()):
        if folded.endswith(suffix) and len(folded) - len(suffix) >= MIN_STEM:
            return folded[: -len(suffix)]
    return folded
