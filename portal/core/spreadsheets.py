"""Cells for CSV files that people open in a spreadsheet.

A spreadsheet reads a cell that starts with `=`, `+`, `-` or `@` as a formula, and some read a
leading tab or carriage return the same way. A name typed as `=HYPERLINK("http://...")` would
then run on the finance officer's computer when the export is opened (CSV injection). A single
quote in front makes the spreadsheet show the text as it is.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: object) -> str:
    """The value as text, with a quote in front if a spreadsheet would take it for a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text
