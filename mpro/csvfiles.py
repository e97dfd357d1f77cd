"""Every CSV file the project writes goes through here.

A spreadsheet program runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return
before one) as a formula: `=HYPERLINK(...)` in a nickname would become a link in the fleet manager's
spreadsheet. `SafeWriter` prefixes such text cells with an apostrophe, which spreadsheets show as
plain text (OWASP's advice for CSV injection). Numbers are left as numbers: `-2` written as an int
stays -2, but the text "-2+3" is neutralised.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, or text that no spreadsheet evaluates."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """`csv.writer` whose every row is neutralised first."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_response(filename: str) -> tuple[HttpResponse, SafeWriter]:
    """A UTF-8 CSV download (with the byte-order mark spreadsheet programs need) and its writer."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response, SafeWriter(response)
