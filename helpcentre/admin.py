"""Staff edit the help centre here: categories and articles, each with its translations inline.
English is required (it is what other languages fall back to)."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from companies.audit import Actor

from . import services
from .markup import broken_links
from .models import (
    FALLBACK_LANGUAGE,
    RESERVED_SLUGS,
    Article,
    ArticleTranslation,
    Category,
    CategoryTranslation,
)


class EnglishRequiredFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        languages = {
            form.cleaned_data.get("language")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        }
        if FALLBACK_LANGUAGE not in languages:
            raise ValidationError(_("An English translation is required: other languages fall back to it."))


class ArticleTranslationForm(forms.ModelForm):
    class Meta:
        model = ArticleTranslation
        fields = ["language", "question", "answer"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 8, "cols": 90})}

    def clean_answer(self):
        answer = self.cleaned_data["answer"]
        broken = broken_links(answer)
        if broken:
            raise ValidationError(
                _("These links lead nowhere: %(links)s"), params={"links": ", ".join(broken)}
            )
        return answer


class ArticleTranslationInline(admin.StackedInline):
    model = ArticleTranslation
    form = ArticleTranslationForm
    formset = EnglishRequiredFormSet
    extra = 0
    min_num = 1
    max_num = len(settings.LANGUAGES)


class CategoryTranslationInline(admin.TabularInline):
    model = CategoryTranslation
    formset = EnglishRequiredFormSet
    extra = 0
    min_num = 1
    max_num = len(settings.LANGUAGES)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["slug", "sort_order"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("This address is taken by another help page."))
        return slug


def languages_of(obj) -> str:
    return " ".join(sorted(t.language for t in obj.translations.all()))


def missing_languages_of(obj) -> str:
    have = {t.language for t in obj.translations.all()}
    return " ".join(code for code, _name in settings.LANGUAGES if code not in have) or "–"


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryForm
    inlines = [CategoryTranslationInline]
    list_display = ["slug", "sort_order", "languages", "missing_languages"]
    list_editable = ["sort_order"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("translations")

    @admin.display(description=_("languages"))
    def languages(self, obj):
        return languages_of(obj)

    @admin.display(description=_("missing"))
    def missing_languages(self, obj):
        return missing_languages_of(obj)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    inlines = [ArticleTranslationInline]
    list_display = [
        "slug",
        "question",
        "category",
        "sort_order",
        "is_published",
        "missing_languages",
        "updated_at",
    ]
    list_filter = ["category", "is_published"]
    list_select_related = ["category"]
    search_fields = ["slug", "translations__question"]
    fields = ["category", "slug", "sort_order", "is_published"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("translations", queryset=ArticleTranslation.objects.order_by("language"))
            )
        )

    @admin.display(description=_("question"))
    def question(self, obj):
        by_language = {t.language: t.question for t in obj.translations.all()}
        return by_language.get(FALLBACK_LANGUAGE) or next(iter(by_language.values()), "")

    @admin.display(description=_("missing translations"))
    def missing_languages(self, obj):
        return missing_languages_of(obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.article_saved(article=form.instance, actor=Actor.customer(request.user))
