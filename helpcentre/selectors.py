"""Reads of the help centre, the showcase and the public dealer finder. Every function runs a
fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Count, F, Prefetch, Q
from django.utils.safestring import SafeString

from companies.models import Country, Dealer
from packs.models import Pack, Price
from packs.selectors import catalogue_for_country
from vehicles.filters import DealerFilterSet

from . import markup, search_words
from .models import (
    FALLBACK_LANGUAGE,
    SEARCH_CONFIGS,
    Article,
    ArticleTranslation,
    Category,
    CategoryTranslation,
)

SEARCH_LIMIT = 50
DEALER_LIMIT = 100


def _language(language: str | None) -> str:
    language = (language or FALLBACK_LANGUAGE)[:2]
    return language if language in SEARCH_CONFIGS else FALLBACK_LANGUAGE


def _pick(translations, language: str):
    """(translation in `language`, False), else (the English one, True), else (None, True)."""
    by_language = {translation.language: translation for translation in translations}
    if language in by_language:
        return by_language[language], False
    return by_language.get(FALLBACK_LANGUAGE), True


def _translations_prefetch(relation: str, model, language: str) -> Prefetch:
    languages = {language, FALLBACK_LANGUAGE}
    return Prefetch(relation, queryset=model.objects.filter(language__in=languages), to_attr="picked")


@dataclass
class CategoryView:
    category: Category
    title: str
    description: str
    is_fallback: bool
    count: int = 0

    @property
    def slug(self) -> str:
        return self.category.slug

    def get_absolute_url(self) -> str:
        return self.category.get_absolute_url()


@dataclass
class ArticleView:
    article: Article
    category: CategoryView | None
    question: str
    answer: str
    answer_plain: str
    is_fallback: bool

    @property
    def slug(self) -> str:
        return self.article.slug

    @property
    def language(self) -> str:
        return FALLBACK_LANGUAGE if self.is_fallback else ""

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url()


def _category_view(category: Category, language: str) -> CategoryView:
    translation, is_fallback = _pick(category.picked, language)
    return CategoryView(
        category=category,
        title=translation.title if translation else category.slug,
        description=translation.description if translation else "",
        is_fallback=is_fallback,
        count=getattr(category, "article_count", 0),
    )


def _article_view(
    article: Article, language: str, category: CategoryView | None = None
) -> ArticleView | None:
    translation, is_fallback = _pick(article.picked, language)
    if translation is None:  # not even in English: nothing to show
        return None
    return ArticleView(
        article=article,
        category=category,
        question=translation.question,
        answer=translation.answer,
        answer_plain=translation.answer_plain,
        is_fallback=is_fallback,
    )


def categories(*, language: str, with_counts: bool = True) -> list[CategoryView]:
    """All categories titled in `language`, with their number of published questions unless
    `with_counts` is False (search only needs the titles: no join over every article)."""
    language = _language(language)
    rows = Category.objects.prefetch_related(
        _translations_prefetch("translations", CategoryTranslation, language)
    ).order_by("sort_order", "slug")
    if with_counts:
        rows = rows.annotate(article_count=Count("articles", filter=Q(articles__is_published=True)))
    return [_category_view(category, language) for category in rows]


def category_detail(*, slug: str, language: str) -> tuple[CategoryView, list[ArticleView]] | None:
    """A category and its published questions, or None when there is no such category."""
    language = _language(language)
    category = (
        Category.objects.filter(slug=slug)
        .prefetch_related(
            _translations_prefetch("translations", CategoryTranslation, language),
            Prefetch(
                "articles",
                queryset=Article.objects.published()
                .order_by("sort_order", "slug")
                .prefetch_related(_translations_prefetch("translations", ArticleTranslation, language)),
                to_attr="published_articles",
            ),
        )
        .first()
    )
    if category is None:
        return None
    view = _category_view(category, language)
    articles = [_article_view(article, language, view) for article in category.published_articles]
    articles = [article for article in articles if article is not None]
    view.count = len(articles)
    return view, articles


def article_detail(*, slug: str, language: str) -> tuple[ArticleView, list[ArticleView]] | None:
    """A published article by its slug (whatever category the address named) with the other
    questions of its category, or None."""
    language = _language(language)
    article = (
        Article.objects.published()
        .filter(slug=slug)
        .select_related("category")
        .prefetch_related(
            _translations_prefetch("translations", ArticleTranslation, language),
            _translations_prefetch("category__translations", CategoryTranslation, language),
        )
        .first()
    )
    if article is None:
        return None
    category = _category_view(article.category, language)
    view = _article_view(article, language, category)
    if view is None:
        return None
    siblings = (
        Article.objects.published()
        .filter(category=article.category)
        .exclude(pk=article.pk)
        .select_related("category")
        .order_by("sort_order", "slug")
        .prefetch_related(_translations_prefetch("translations", ArticleTranslation, language))
    )
    others = [other for other in (_article_view(a, language, category) for a in siblings) if other]
    return view, others


# --- search -----------------------------------------------------------------------------------
@dataclass
class SearchHit:
    article: ArticleView
    question_html: SafeString
    snippet_html: SafeString
    rank: float = 0.0


def _hits_from_rows(rows, language: str, categories_by_id: dict[int, CategoryView]) -> list[SearchHit]:
    hits = []
    for row in rows:
        is_fallback = row.language != language
        view = ArticleView(
            article=row.article,
            category=categories_by_id.get(row.article.category_id),
            question=row.question,
            answer=row.answer,
            answer_plain=row.answer_plain,
            is_fallback=is_fallback,
        )
        hits.append(SearchHit(article=view, question_html=row.question_html, snippet_html=row.snippet_html))
    return hits


def _base_rows(language: str):
    """Published translations in `language`, plus the English text of articles that have none."""
    published = ArticleTranslation.objects.filter(article__is_published=True).select_related(
        "article", "article__category"
    )
    in_language = published.filter(language=language)
    if language == FALLBACK_LANGUAGE:
        return [(language, in_language)]
    untranslated = published.filter(language=FALLBACK_LANGUAGE).exclude(
        article__in=Article.objects.filter(translations__language=language)
    )
    return [(language, in_language), (FALLBACK_LANGUAGE, untranslated)]


def _search_postgres(query: str, language: str) -> list:
    rows = []
    for row_language, queryset in _base_rows(language):
        config = SEARCH_CONFIGS[row_language]
        search_query = SearchQuery(query, config=config, search_type="websearch")
        marks = {"start_sel": markup.START_MARK, "stop_sel": markup.STOP_MARK}
        found = (
            queryset.filter(search_vector=search_query)
            .annotate(
                rank=SearchRank(F("search_vector"), search_query),
                question_marked=SearchHeadline(
                    "question", search_query, config=config, highlight_all=True, **marks
                ),
                snippet_marked=SearchHeadline(
                    "answer_plain",
                    search_query,
                    config=config,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                    **marks,
                ),
            )
            .order_by("-rank", "article__category__sort_order", "article__sort_order")[:SEARCH_LIMIT]
        )
        for row in found:
            row.question_html = markup.marked_to_html(row.question_marked)
            row.snippet_html = markup.marked_to_html(row.snippet_marked)
            rows.append(row)
    rows.sort(key=lambda row: -row.rank)
    return rows[:SEARCH_LIMIT]


def _search_simple(query: str, language: str) -> list:
    terms = search_words.meaningful(markup.search_terms(query), language)
    if not terms:
        return []
    rows = []
    for _row_language, queryset in _base_rows(language):
        for term in terms:
            queryset = queryset.filter(Q(question__icontains=term) | Q(answer_plain__icontains=term))
        candidates = queryset.order_by("article__category__sort_order", "article__sort_order")
        # The database finds the text anywhere; keep rows where every term is a word or starts one.
        found = [
            row
            for row in candidates[: SEARCH_LIMIT * 4]
            if all(
                search_words.starts_a_word(term, row.question)
                or search_words.starts_a_word(term, row.answer_plain)
                for term in terms
            )
        ][:SEARCH_LIMIT]
        for row in found:
            row.question_html = markup.highlight(row.question, terms)
            row.snippet_html = markup.snippet(row.answer_plain, terms)
            # Questions that contain the words come before answers that only mention them.
            row.rank = sum(term in row.question.lower() for term in terms)
            rows.append(row)
    rows.sort(key=lambda row: -row.rank)
    return rows[:SEARCH_LIMIT]


def _vocabulary(language: str) -> set[str]:
    """Every word of the published questions and answers a reader of `language` can find."""
    texts = []
    for _row_language, queryset in _base_rows(language):
        for question, answer in queryset.values_list("question", "answer_plain"):
            texts += [question, answer]
    return search_words.vocabulary(texts)


def search(*, query: str, language: str) -> list[SearchHit]:
    """Published questions and answers matching `query` in `language` (English for articles not yet
    translated), best first, with the words found highlighted. PostgreSQL: full-text search with
    the language's stemming; elsewhere: every word must appear (case-insensitive)."""
    language = _language(language)
    query = (query or "").strip()
    if not query:
        return []
    run = _search_postgres if settings.USING_POSTGRES else _search_simple
    rows = run(query, language)
    if not rows:
        # One typo forgiven: retry once with unknown words replaced by the closest word of the texts.
        retry = search_words.corrected(markup.search_terms(query), _vocabulary(language))
        rows = run(" ".join(retry), language) if retry else []
    if not rows:
        return []
    categories_by_id = {view.category.id: view for view in categories(language=language, with_counts=False)}
    hits = _hits_from_rows(rows, language, categories_by_id)
    for hit, row in zip(hits, rows, strict=True):
        hit.rank = row.rank
    return hits


# --- showcase ---------------------------------------------------------------------------------
# The market a visitor most likely buys in, from the language they read.
LANGUAGE_COUNTRIES = {"da": Country.DK, "fr": Country.FR, "de": Country.DE, "en": Country.GB}


def default_country(*, language: str, accept_language: str = "") -> str:
    """The visitor's country: the region of their browser's first matching language tag (fr-BE →
    BE), else the one their language suggests (da → DK, fr → FR, de → DE, en → GB)."""
    language = _language(language)
    countries = set(Country.values)
    for tag in accept_language.split(","):
        parts = tag.split(";")[0].strip().replace("_", "-").split("-")
        if len(parts) >= 2 and parts[0].lower() == language and parts[1].upper() in countries:
            return parts[1].upper()
    return LANGUAGE_COUNTRIES.get(language, Country.DK)


@dataclass
class PackOffer:
    pack: Pack
    name: str
    description: str
    services: list[str]
    price: Price


def pack_offers(*, country: str, language: str) -> list[PackOffer]:
    """The active packs sold in `country` with their price there, bundles first. Empty when the
    catalogue has nothing for the country (or nothing at all)."""
    language = _language(language)
    # The packs app decides what is on sale where; the showcase only puts bundles first.
    packs = sorted(
        (pack for pack in catalogue_for_country(country) if pack.local_price is not None),
        key=lambda pack: (not pack.is_bundle, pack.sort_order, pack.code),
    )
    return [
        PackOffer(
            pack=pack,
            name=pack.localized("name", language),
            description=pack.localized("description", language),
            services=[service.localized("name", language) for service in pack.services.all()],
            price=pack.local_price,
        )
        for pack in packs
    ]


# --- dealer finder ----------------------------------------------------------------------------
def dealers(*, query: str = "", country: str = "") -> list[Dealer]:
    """Outlets of the dealer network whose name or city contains `query`, or whose postal code
    starts with it; optionally in one country. At most DEALER_LIMIT, ordered by country, city, name.

    Matched by the same DealerFilterSet as the workshops page and GET /api/v1/dealers, so a visitor
    finds exactly the outlets a customer finds there."""
    filterset = DealerFilterSet(
        {"search": " ".join((query or "").split()), "country": country or ""},
        queryset=Dealer.objects.all(),
    )
    rows = filterset.qs if filterset.is_valid() else Dealer.objects.none()
    return list(rows.order_by("country", "city", "name")[:DEALER_LIMIT])
