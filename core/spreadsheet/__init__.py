"""Spreadsheets in and out: parsing of Indonesian cells, file formats, formula escaping, and the
base resource every import/export of the back office uses (scope, all-or-nothing, audit, speed).

* Cells: Indonesian numbers ("1.500.000", "Rp 1.500.000,00", "1,5"), dates (dd/mm/yyyy,
  yyyy-mm-dd, Excel serial numbers and native spreadsheet dates), choices by value or label.
* Files: CSV in UTF-8 (with or without BOM) or cp1252, ``,`` or ``;`` (sniffed from the header
  line); XLSX. Every text cell beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage return
  is exported with a leading ``'`` (formula injection); the stored value is unchanged, and an
  import strips that quote again so that an exported file re-imports without changes.
* Resources: ``SpreadsheetResource`` collects every problem as (row, column, message) with the
  spreadsheet's own row numbers (header = row 1) and writes nothing when any row is bad.
"""

from .bulk import insert_with_history
from .cells import (
    FORMULA_PREFIXES,
    choice_parser,
    escape_formula,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    render_choice,
    text,
    unescape_formula,
)
from .files import (
    CSV,
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    XLSX,
    SpreadsheetResult,
    decode_bytes,
    error_report_csv,
    error_rows,
    read_csv,
    read_file,
    sniff_delimiter,
)
from .resource import (
    CellWidget,
    Col,
    RowProblems,
    SpreadsheetDiff,
    SpreadsheetResource,
    render_date,
    render_number,
    text_parser,
)

__all__ = [
    "CSV",
    "EXPORT_FORMATS",
    "FORMULA_PREFIXES",
    "IMPORT_FORMATS",
    "XLSX",
    "CellWidget",
    "Col",
    "RowProblems",
    "SpreadsheetDiff",
    "SpreadsheetResource",
    "SpreadsheetResult",
    "choice_parser",
    "decode_bytes",
    "error_report_csv",
    "error_rows",
    "escape_formula",
    "insert_with_history",
    "parse_bool",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "read_csv",
    "read_file",
    "render_choice",
    "render_date",
    "render_number",
    "sniff_delimiter",
    "text",
    "text_parser",
    "unescape_formula",
]
