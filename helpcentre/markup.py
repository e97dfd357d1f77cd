"""The small markup answers are written in, and the highlighting of search words.

- Paragraphs are separated by an empty line.
- A block whose lines all start with "- " is a bulleted list.
- `[text](page:url-name)` links to a portal page by its URL name (`page:users:support_password`),
  `[text](article:category/slug)` to another help article. Nothing else becomes a link.

Everything is escaped before any tag is added, so neither an answer nor a search query can put
HTML into a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

LINK = re.compile(r"\[([^\]\n]+)\]\(([a-z]+):([^)\s]+)\)")
WORD = re.compile(r"\w+", re.UNICODE)
# Markers ts_headline puts around the words it found (control characters never found in text).
START_MARK, STOP_MARK = "\x02", "\x03"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def link_target(kind: str, target: str) -> str | None:
    """The address a link points to, or None when it does not resolve."""
    try:
        if kind == "page":
            return reverse(target)
        if kind == "article":
            category, _, article = target.partition("/")
            return reverse("help:article", kwargs={"category": category, "article": article})
    except NoReverseMatch:
        return None
    return None


def broken_links(text: str) -> list[str]:
    """The links of an answer that do not resolve (shown as errors in the admin)."""
    return [
        f"{kind}:{target}" for _label, kind, target in LINK.findall(text) if link_target(kind, target) is None
    ]


def blocks(text: str) -> list[tuple[str, list[str]]]:
    """("p", [lines]) or ("ul", [items]) for each block of the answer."""
    out = []
    for block in re.split(r"\n\s*\n", CONTROL.sub("", text.replace("\r\n", "\n")).strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            out.append(("ul", [line[2:].strip() for line in lines]))
        else:
            out.append(("p", [" ".join(lines)]))
    return out


def to_plain(text: str) -> str:
    """The answer as plain text: link labels only, one line per paragraph or list item."""
    lines = []
    for _kind, items in blocks(text):
        lines += [LINK.sub(lambda match: match.group(1), item) for item in items]
    return "\n".join(lines)


def search_terms(query: str) -> list[str]:
    """The words of a search query worth highlighting, longest first."""
    words = {word.lower() for word in WORD.findall(query or "") if len(word) > 1 or word.isdigit()}
    words -= {"or", "and"}
    return sorted(words, key=lambda word: (-len(word), word))


def _pattern(terms: Iterable[str]) -> re.Pattern | None:
    terms = [term for term in terms if term]
    if not terms:
        return None
    # Word starts only, as the search matches them: "vin" marks "VIN" and "vins", not "saving".
    return re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(term) for term in terms) + ")", re.IGNORECASE | re.UNICODE
    )


def highlight(text: str, terms: Iterable[str]) -> SafeString:
    """`text` escaped, with every occurrence of a term wrapped in <mark>."""
    pattern = _pattern(terms)
    if pattern is None:
        return mark_safe(escape(text))
    out, position = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))


def marked_to_html(text: str) -> SafeString:
    """A ts_headline result (words found between START_MARK and STOP_MARK) as safe HTML: the text
    is escaped first, then the markers become <mark> tags."""
    html = escape(text or "")
    html = html.replace(START_MARK, "<mark>").replace(STOP_MARK, "</mark>")
    # An unbalanced marker (a cut fragment) must not leave a tag open.
    if html.count("<mark>") != html.count("</mark>"):
        html = html.replace("<mark>", "").replace("</mark>", "")
    return mark_safe(html)


def snippet(plain: str, terms: Iterable[str], width: int = 220) -> SafeString:
    """A short excerpt of `plain` around the first term found (or its start), highlighted."""
    text = " ".join(plain.split())
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.start() > width // 3:
        start = text.rfind(" ", 0, match.start() - width // 3) + 1
    end = min(len(text), start + width)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    excerpt = text[start:end]
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + highlight(excerpt, terms) + suffix)


def _inline(text: str, terms: list[str]) -> str:
    out, position = [], 0
    for match in LINK.finditer(text):
        out.append(highlight(text[position : match.start()], terms))
        label, kind, target = match.groups()
        url = link_target(kind, target)
        if url is None:
            out.append(highlight(label, terms))
        else:
            out.append(f'<a href="{escape(url)}">{highlight(label, terms)}</a>')
        position = match.end()
    out.append(highlight(text[position:], terms))
    return "".join(out)


def render(text: str, terms: Iterable[str] = ()) -> SafeString:
    """The answer as HTML paragraphs and lists, links resolved, search terms highlighted."""
    terms = list(terms)
    html = []
    for kind, items in blocks(text):
        if kind == "ul":
            html.append("<ul>" + "".join(f"<li>{_inline(item, terms)}</li>" for item in items) + "</ul>")
        else:
            html.append(f"<p>{_inline(items[0], terms)}</p>")
    return mark_safe("\n".join(html))
