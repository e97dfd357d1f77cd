"""The help centre's content files and `manage.py helpcentre_sync`, which brings them into the
database.

Files (helpcentre/articles/): one folder per category, `<order>-<category-slug>/`, holding
`_category.<language>.md` (front matter `title:`, body: the description) and one file per article
and language, `<order>-<article-slug>.<language>.md` (front matter `question:`, body: the answer
in the markup of helpcentre/markup.py). English is required; another language may be missing (the
page then falls back to English, marked).

What sync does, in a few queries whatever the content size:
- creates every category, article and translation the database lacks (order and category from
  the file names; later moves and unpublishing are the admin's and sync leaves them alone);
- updates a translation whose file changed, if nobody edited it in the admin since the last sync
  (each row keeps a digest of the text sync last wrote there);
- keeps a translation edited in the admin and reports it, unless `overwrite` is given: a lasting
  change belongs in the files, which are the source of truth;
- never deletes anything.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.db.models import Q

from .indexing import refresh
from .models import Article, ArticleTranslation, Category, CategoryTranslation

CONTENT_DIR = Path(__file__).resolve().parent / "articles"
REQUIRED_LANGUAGE = "en"
ORDERED_NAME = re.compile(r"^(?P<order>\d+)-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)$")
LANGUAGE_FILE = re.compile(r"^(?P<stem>.+)\.(?P<language>[a-z]{2})\.md$")
CATEGORY_STEM = "_category"


class ContentError(ValueError):
    """A content file that cannot be read as the help centre expects."""


@dataclass(frozen=True)
class ArticleSource:
    slug: str
    sort_order: int
    # language → (question, answer)
    texts: dict[str, tuple[str, str]]


@dataclass(frozen=True)
class CategorySource:
    slug: str
    sort_order: int
    # language → (title, description)
    texts: dict[str, tuple[str, str]]
    articles: list[ArticleSource] = field(default_factory=list)


@dataclass
class SyncReport:
    created: int = 0
    updated: int = 0
    # "slug (language)" of translations edited in the admin and therefore left as they are.
    kept: list[str] = field(default_factory=list)


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


# --- reading the files -----------------------------------------------------------------------------
def parse_file(path: Path) -> tuple[dict[str, str], str]:
    """(front matter, body) of one content file: `---`, `key: value` lines, `---`, then the body."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if not lines or lines[0] != "---" or "---" not in lines[1:]:
        raise ContentError(f"{path}: starts with a front matter between two '---' lines")
    end = lines.index("---", 1)
    meta = {}
    for line in lines[1:end]:
        key, colon, value = line.partition(":")
        if not colon:
            raise ContentError(f"{path}: front matter line without 'key: value': {line!r}")
        meta[key.strip()] = value.strip()
    body = "\n".join(lines[end + 1 :]).rstrip("\n")
    return meta, body


def _ordered(path: Path) -> tuple[int, str]:
    match = ORDERED_NAME.match(path.name if path.is_dir() else LANGUAGE_FILE.match(path.name)["stem"])
    if match is None:
        raise ContentError(f"{path}: name it <order>-<slug>, e.g. 010-what-is-mpro")
    return int(match["order"]), match["slug"]


def _texts(paths: list[Path], keys: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    texts = {}
    for path in paths:
        meta, body = parse_file(path)
        if keys[0] not in meta:
            raise ContentError(f"{path}: the front matter needs '{keys[0]}:'")
        texts[LANGUAGE_FILE.match(path.name)["language"]] = (meta[keys[0]], body)
    if REQUIRED_LANGUAGE not in texts:
        raise ContentError(f"{paths[0].parent}: every text needs its English version")
    return texts


@cache
def read_content(root: Path = CONTENT_DIR) -> tuple[CategorySource, ...]:
    """The categories and articles of the content files, in file-name order."""
    categories = []
    for folder in sorted(path for path in root.iterdir() if path.is_dir()):
        order, slug = _ordered(folder)
        files = sorted(path for path in folder.iterdir() if LANGUAGE_FILE.match(path.name))
        by_stem: dict[str, list[Path]] = {}
        for path in files:
            by_stem.setdefault(LANGUAGE_FILE.match(path.name)["stem"], []).append(path)
        category_files = by_stem.pop(CATEGORY_STEM, [])
        if not category_files:
            raise ContentError(f"{folder}: needs {CATEGORY_STEM}.{REQUIRED_LANGUAGE}.md")
        articles = []
        for paths in by_stem.values():
            article_order, article_slug = _ordered(paths[0])
            articles.append(ArticleSource(article_slug, article_order, _texts(paths, ("question",))))
        categories.append(CategorySource(slug, order, _texts(category_files, ("title",)), articles))
    return tuple(categories)


# --- bringing them into the database ------------------------------------------------------------------
def content_sync(*, overwrite: bool = False, root: Path = CONTENT_DIR) -> SyncReport:
    """Brings the content files into the database as the module docstring says; idempotent.
    Four queries when there is nothing to do, so the caller decides on the transaction (the
    command runs it in one)."""
    sources = read_content(root)
    report = SyncReport()
    categories = _sync_parents(Category, {(c.slug, None, c.sort_order) for c in sources}, report)
    _sync_texts(
        CategoryTranslation,
        "category",
        categories,
        {(c.slug, lang): text for c in sources for lang, text in c.texts.items()},
        ("title", "description"),
        overwrite,
        report,
    )
    articles = _sync_parents(
        Article,
        {(a.slug, categories[c.slug], a.sort_order) for c in sources for a in c.articles},
        report,
    )
    changed = _sync_texts(
        ArticleTranslation,
        "article",
        articles,
        {(a.slug, lang): text for c in sources for a in c.articles for lang, text in a.texts.items()},
        ("question", "answer"),
        overwrite,
        report,
    )
    if changed:
        # Rows bulk-created without a returned id (older SQLite) still have no search text.
        refresh(
            ArticleTranslation.objects.filter(Q(pk__in=[pk for pk in changed if pk]) | Q(answer_plain=""))
        )
    return report


def _sync_parents(model, wanted: set[tuple], report: SyncReport) -> dict:
    """Creates the categories or articles (slug, category, order) that do not exist yet; returns
    all of them by slug."""
    existing = {row.slug: row for row in model.objects.all()}
    new = []
    for slug, category, sort_order in sorted(wanted, key=lambda item: (item[2], item[0])):
        if slug not in existing:
            fields = {"slug": slug, "sort_order": sort_order}
            if category is not None:
                fields["category"] = category
            new.append(model(**fields))
    if new:
        model.objects.bulk_create(new)
        report.created += len(new)
        existing = {row.slug: row for row in model.objects.all()}
    return existing


def _sync_texts(model, parent: str, parents: dict, wanted: dict, fields, overwrite, report) -> list[int]:
    """Creates, updates or keeps the translations as the module docstring says; returns the ids of
    the rows it wrote (None for a created row whose id the database did not return)."""
    rows = {(getattr(row, parent).slug, row.language): row for row in model.objects.select_related(parent)}
    new, changed = [], []
    for (slug, language), text in wanted.items():
        source_digest = digest(*text)
        row = rows.get((slug, language))
        if row is None:
            values = dict(zip(fields, text, strict=True))
            new.append(
                model(**{parent: parents[slug]}, language=language, synced_digest=source_digest, **values)
            )
            continue
        current_digest = digest(*(getattr(row, name) for name in fields))
        if current_digest == source_digest:
            if row.synced_digest != source_digest:  # same text, written before digests existed
                row.synced_digest = source_digest
                changed.append(row)
        elif overwrite or row.synced_digest == current_digest:
            for name, value in zip(fields, text, strict=True):
                setattr(row, name, value)
            row.synced_digest = source_digest
            changed.append(row)
            report.updated += 1
        else:
            report.kept.append(f"{slug} ({language})")
    if new:
        model.objects.bulk_create(new)
        report.created += len(new)
    if changed:
        model.objects.bulk_update(changed, [*fields, "synced_digest"])
    return [row.pk for row in changed + new]
