"""Public pages: the showcase home, the help centre and the dealer finder. No login needed; a
logged-in user sees the same help pages (the home page sends them to their dashboard)."""

import json

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language

from companies.models import Country
from companies.tenancy import is_dealer_staff
from vehicles.telematics.towns import town_centre

from . import markup, selectors
from .forms import CountryForm, DealerSearchForm, SearchForm


def _language(request) -> str:
    return getattr(request, "LANGUAGE_CODE", None) or get_language() or "en"


def home(request):
    if request.user.is_authenticated:
        # Dealer staff have no customer dashboard: their home is the Retail site.
        return redirect("retail:dashboard" if is_dealer_staff(request.user) else "dashboard")
    language = _language(request)
    country = request.GET.get("country", "")
    if country not in Country.values:
        country = selectors.default_country(
            language=language, accept_language=request.headers.get("Accept-Language", "")
        )
    offers = selectors.pack_offers(country=country, language=language)
    return render(
        request,
        "helpcentre/home.html",
        {
            "country": country,
            "country_name": Country(country).label,
            "country_form": CountryForm(initial={"country": country}),
            "offers": offers,
            "search_form": SearchForm(),
        },
    )


def index(request):
    return render(
        request,
        "helpcentre/index.html",
        {"categories": selectors.categories(language=_language(request)), "search_form": SearchForm()},
    )


def category(request, category: str):
    found = selectors.category_detail(slug=category, language=_language(request))
    if found is None:
        raise Http404
    view, articles = found
    return render(
        request,
        "helpcentre/category.html",
        {"category": view, "articles": articles, "search_form": SearchForm()},
    )


def article(request, category: str, article: str):
    found = selectors.article_detail(slug=article, language=_language(request))
    if found is None:
        raise Http404
    view, others = found
    if view.category.slug != category:
        # The article moved to another category: its old address keeps working.
        return redirect(view.get_absolute_url(), permanent=True)
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    terms = markup.search_terms(query)
    return render(
        request,
        "helpcentre/article.html",
        {
            "article": view,
            "question_html": markup.highlight(view.question, terms),
            "answer_html": markup.render(view.answer, terms),
            "others": others,
            "share_url": request.build_absolute_uri(view.get_absolute_url()),
            "search_form": SearchForm(initial={"q": query}),
            "query": query,
        },
    )


def search(request):
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    hits = selectors.search(query=query, language=_language(request)) if query else []
    return render(request, "helpcentre/search.html", {"search_form": form, "query": query, "hits": hits})


def dealer_markers(dealers) -> list[dict]:
    """The dealers on the map, placed at their town's centre (from the offline town list: outlets
    carry no coordinates of their own), so the map shows where to look, the table the address."""
    return [
        {
            "name": dealer.name,
            "address": f"{dealer.street}, {dealer.postal_code} {dealer.city}",
            **dict(zip(("lat", "lon"), town_centre(dealer.city, dealer.country), strict=True)),
        }
        for dealer in dealers
    ]


def dealer_finder(request):
    form = DealerSearchForm(request.GET)
    query, country = ("", "")
    if form.is_valid():
        query, country = form.cleaned_data["q"], form.cleaned_data["country"]
    dealers = selectors.dealers(query=query, country=country)
    return render(
        request,
        "helpcentre/dealers.html",
        {
            "form": form,
            "dealers": dealers,
            "dealers_json": json.dumps(dealer_markers(dealers)),
            "tiles_url": settings.MAP_TILES_URL,
            "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
            "searched": bool(query or country),
            "limit": selectors.DEALER_LIMIT,
        },
    )
