"""CSV for people who open it in a spreadsheet.

A cell starting with = + - @ (or a tab / carriage return) is read as a formula by Excel and
LibreOffice, so exports prefix it with an apostrophe (OWASP "CSV injection"). Used by every
export the back office offers (products, orders), whichever feature builds it.
"""

import csv
import io

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """`value` as a cell's text, with an apostrophe before anything a spreadsheet would run."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def csv_bytes(header, rows) -> bytes:
    """UTF-8 with a BOM (so Excel reads Cyrillic), every cell escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
