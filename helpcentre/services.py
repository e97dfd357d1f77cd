"""Writes of the help centre. Staff edit articles in the Django admin; after each save the admin
calls `article_saved`, which refreshes the derived search columns and records the change."""

from __future__ import annotations

from django.db import transaction

from companies.audit import Actor, record

from .indexing import refresh
from .models import Article, ArticleTranslation


def article_saved(*, article: Article, actor: Actor) -> int:
    """Refreshes the search text (and, on PostgreSQL, the search vector) of the article's
    translations after an edit; returns how many translations were refreshed."""
    with transaction.atomic():
        count = refresh(ArticleTranslation.objects.filter(article=article))
        record(
            actor=actor,
            company=None,
            action="help.article_saved",
            target=article.slug,
            details={"languages": sorted(article.translations.values_list("language", flat=True))},
        )
    return count


def search_index_rebuild(*, actor: Actor) -> int:
    """Refreshes the derived search columns of every translation (after a bulk import, a restore,
    or moving the data from SQLite to PostgreSQL)."""
    with transaction.atomic():
        count = refresh(ArticleTranslation.objects.all())
        record(actor=actor, company=None, action="help.search_rebuilt", details={"translations": count})
    return count
