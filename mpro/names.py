"""Names people read: of persons, companies and vans (issue 17, item 19).

`clean_name` is the one rule every service applies to a name before it is stored: Unicode NFC (so
"é" typed two ways is one name, and searches match), single spaces, and no invisible characters that
change how the name reads: C0/C1 control characters, bidirectional overrides, embeddings, isolates
and marks (`"\\u202eenaJ"` shows as "Jane"), zero-width spaces and joiners. Those are refused with a
message, not silently removed, so that what is stored is what the person typed and saw."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 and C1 controls (whitespace among them is collapsed before the check), the bidirectional
# formatting characters, zero-width characters and the byte-order mark.
FORBIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u180e\ufeff]"
)
NAME_CHARACTERS_MESSAGE = _(
    "Remove the invisible or control characters (such as text-direction marks or zero-width "
    "spaces) from this name."
)


def clean_name(value) -> str:
    """The name as stored: NFC, single spaces, trimmed. ValidationError for forbidden characters."""
    text = unicodedata.normalize("NFC", " ".join(str(value or "").split()))
    if FORBIDDEN.search(text):
        raise ValidationError(NAME_CHARACTERS_MESSAGE, code="name_characters")
    return text
