"""Keeps the derived search columns of article translations up to date: `answer_plain` (the
answer without markup) everywhere, and on PostgreSQL the weighted `search_vector` (question
weighs more than answer), built with the text-search configuration of the row's language.

Works with the live models and with a migration's historical ones alike: it only needs a
queryset of ArticleTranslation rows."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db import connections
from django.db.models import QuerySet

from .markup import to_plain
from .models import SEARCH_CONFIGS


def vector_expression(config: str):
    return SearchVector("question", config=config, weight="A") + SearchVector(
        "answer_plain", config=config, weight="B"
    )


def refresh(translations: QuerySet) -> int:
    """Recomputes the derived columns of these translations; returns how many rows it looked at."""
    rows = list(translations.only("id", "answer", "answer_plain"))
    changed = []
    for row in rows:
        plain = to_plain(row.answer)
        if plain != row.answer_plain:
            row.answer_plain = plain
            changed.append(row)
    model = translations.model
    model._base_manager.using(translations.db).bulk_update(changed, ["answer_plain"], batch_size=500)
    if connections[translations.db].vendor == "postgresql" and rows:
        ids = [row.id for row in rows]
        for language, config in SEARCH_CONFIGS.items():
            model._base_manager.using(translations.db).filter(id__in=ids, language=language).update(
                search_vector=vector_expression(config)
            )
    return len(rows)
