from django.conf import settings
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from . import services


@require_POST
def set_language(request):
    """Django's language switch, which also remembers the choice on the logged-in user."""
    language = request.POST.get("language", "")
    if check_for_language(language) and language in dict(settings.LANGUAGES):
        services.language_set(user=request.user, language=language)
    return django_set_language(request)
