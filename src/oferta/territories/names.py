"""Name handling for territories: accent-insensitive keys and display casing of MGN names."""

from __future__ import annotations

import re
import unicodedata

# Spanish particles stay lower case inside a name ("San Juan de la Costa").
_PARTICLES = frozenset({"de", "del", "la", "las", "los", "el", "y", "e", "en"})


def normalize_key(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces: a key for matching.

    >>> normalize_key("  Bogotá, D.C. ")
    'bogota d c'
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9ñ]+", " ", without_marks.lower()).strip()


def display_name(upper_name: str) -> str:
    """Turn an upper-case MGN name into the usual Spanish casing.

    >>> display_name("SAN JUAN DE LA COSTA")
    'San Juan de la Costa'
    >>> display_name("BOGOTÁ, D.C.")
    'Bogotá, D.C.'
    """
    words = re.split(r"(\s+)", upper_name.strip())
    out: list[str] = []
    first = True
    for word in words:
        if not word or word.isspace():
            out.append(" " if word else word)
            continue
        lower = word.lower()
        if "." in word:
            out.append(word.upper())
        elif not first and lower in _PARTICLES:
            out.append(lower)
        else:
            out.append(lower[:1].upper() + lower[1:])
        first = False
    return re.sub(r"\s+", " ", "".join(out))
