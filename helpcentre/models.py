"""The help centre: FAQ categories and articles (one question and its answer), each with a
translation per language. English is the reference language: a missing translation falls back to
it, visibly marked.

Answers are written in a small markup (see helpcentre/markup.py), never as HTML, so staff can
edit them in the admin without being able to inject markup into the public site.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

FALLBACK_LANGUAGE = "en"

# PostgreSQL text-search configuration per portal language (stemming, stop words).
SEARCH_CONFIGS = {"en": "english", "fr": "french", "da": "danish", "de": "german"}

# Paths under /help/ that are pages of their own, so no category may take them as its slug.
RESERVED_SLUGS = {"search", "dealers"}


class Category(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True, help_text=_("Part of the page address."))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("help category")
        verbose_name_plural = _("help categories")

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("help:category", kwargs={"category": self.slug})


class CategoryTranslation(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    # What `helpcentre_sync` last wrote here (helpcentre.sync.digest): tells an edit made in the
    # admin, which sync keeps, from text the content files have since changed, which it updates.
    synced_digest = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        ordering = ["language"]
        verbose_name = _("category translation")
        verbose_name_plural = _("category translations")
        constraints = [
            models.UniqueConstraint(fields=["category", "language"], name="help_category_one_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Article(models.Model):
    """One question with its answer. The slug is unique across the help centre, so an article's
    address stays valid even if it moves to another category (the old address redirects)."""

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", verbose_name=_("category")
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True, help_text=_("Part of the page address."))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["category__sort_order", "sort_order", "slug"]
        verbose_name = _("help article")
        verbose_name_plural = _("help articles")
        indexes = [
            models.Index(fields=["category", "is_published", "sort_order"], name="help_article_list_idx")
        ]

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("help:article", kwargs={"category": self.category.slug, "article": self.slug})


class ArticleTranslation(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(
        _("answer"),
        help_text=_(
            "Paragraphs are separated by an empty line; lines starting with '- ' form a list. "
            "Links: [text](page:url-name) for a portal page, e.g. [support password]"
            "(page:users:support_password), or [text](article:category-slug/article-slug)."
        ),
    )
    # Derived by helpcentre.services.translations_reindex: the answer without markup (search,
    # snippets) and, on PostgreSQL, the weighted text-search vector of question + answer.
    answer_plain = models.TextField(default="", blank=True, editable=False)
    # What `helpcentre_sync` last wrote here (see CategoryTranslation.synced_digest).
    synced_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["language"]
        verbose_name = _("article translation")
        verbose_name_plural = _("article translations")
        constraints = [
            models.UniqueConstraint(fields=["article", "language"], name="help_article_one_per_language")
        ]
        indexes = [models.Index(fields=["language"], name="help_translation_language_idx")]

    def __str__(self) -> str:
        return f"{self.question} ({self.language})"
