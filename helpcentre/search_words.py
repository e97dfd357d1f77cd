"""What a help search matches, beyond the database's own text search: whole words and word starts
(no "VIN" inside "saving", no French "de" inside "Mercedes"), without the little words every
question has (stop words), and with one typo forgiven ("regstration" finds "registration")."""

import difflib
import re

# The words that carry no meaning in a help question, per language (kept short on purpose: a word
# here can never be searched for on its own).
STOP_WORDS = {
    "en": {
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "and",
        "or",
        "is",
        "are",
        "be",
        "how",
        "do",
        "does",
        "i",
        "my",
        "me",
        "can",
        "what",
        "with",
        "it",
        "you",
        "your",
        "we",
    },
    "fr": {
        "le",
        "la",
        "les",
        "l",
        "de",
        "des",
        "du",
        "d",
        "un",
        "une",
        "et",
        "ou",
        "à",
        "au",
        "aux",
        "en",
        "pour",
        "par",
        "sur",
        "comment",
        "je",
        "j",
        "mon",
        "ma",
        "mes",
        "est",
        "que",
        "qui",
        "quoi",
        "il",
        "elle",
        "vous",
        "votre",
        "vos",
        "ce",
        "se",
        "ne",
        "pas",
        "y",
    },
    "da": {
        "og",
        "i",
        "at",
        "en",
        "et",
        "den",
        "det",
        "de",
        "til",
        "på",
        "af",
        "for",
        "med",
        "hvordan",
        "jeg",
        "min",
        "mit",
        "mine",
        "er",
        "kan",
        "hvad",
        "om",
        "som",
        "du",
        "din",
        "dit",
        "vi",
    },
    "de": {
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einen",
        "einem",
        "und",
        "oder",
        "in",
        "im",
        "zu",
        "zum",
        "zur",
        "von",
        "vom",
        "für",
        "mit",
        "wie",
        "ich",
        "mein",
        "meine",
        "ist",
        "kann",
        "was",
        "auf",
        "an",
        "am",
        "sie",
        "ihr",
        "ihre",
        "wir",
        "es",
    },
}
WORD = re.compile(r"\w+", re.UNICODE)


def meaningful(terms: list[str], language: str) -> list[str]:
    """The query's terms without stop words; all of them if nothing else is left."""
    stop = STOP_WORDS.get(language, set()) | STOP_WORDS["en"]
    kept = [term for term in terms if term.lower() not in stop]
    return kept or terms


def starts_a_word(term: str, text: str) -> bool:
    """True when `term` is a word of `text` or the start of one."""
    return re.search(r"(?<!\w)" + re.escape(term), text, re.IGNORECASE | re.UNICODE) is not None


def vocabulary(texts) -> set[str]:
    return {word.lower() for text in texts for word in WORD.findall(text or "") if len(word) > 2}


def corrected(terms: list[str], words: set[str]) -> list[str] | None:
    """The terms with each unknown one replaced by the closest known word, or None when no term
    needed (or found) a correction."""
    changed, out = False, []
    for term in terms:
        if len(term) < 4 or any(word.startswith(term) for word in words):
            out.append(term)
            continue
        close = difflib.get_close_matches(term, words, n=1, cutoff=0.8)
        if close:
            changed = True
            out.append(close[0])
        else:
            out.append(term)
    return out if changed else None
