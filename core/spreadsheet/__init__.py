"""Spreadsheets in and out: parsing of Indonesian cells, file formats, formula escaping, and the
base resource every import/export of the back office uses (scope, all-or-nothing, audit, speed).

* Cells: Indonesian numbers ("1.500.000", "Rp 1.500.000,00", "1,5"), rupiah amounts as offices
  write them ("Rp. 100.000.000.-", "Rp1,5 jt", "1,2 M", "500 rb"), dates (dd/mm/yyyy, dd-mm-yy,
  yyyy-mm-dd, "12 Januari 2021", Excel serial numbers and native spreadsheet dates), choices by
  value or label.
* Files: CSV in UTF-8 (with or without BOM), UTF-16 (with BOM) or cp1252, ``,`` or ``;``
  (sniffed from the header line), anything else refused naming the encoding; XLSX, formula
  cells read as their cached value or else their formula text (never evaluated). Every text
  cell beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage return is exported with a
  leading ``'`` (formula injection); the stored value is unchanged, and an import strips that
  quote again so that an exported file re-imports without changes.
* Header row and columns (``mapping``): the header row is found below title and blank rows (the
  row naming most known columns); each header is matched to a resource column by its name and
  synonyms (case, spaces, punctuation ignored; "(Rp)"-like parts optional) or by similarity;
  other columns are ignored and listed. Datasets keep the sheet's own row number of each row.
* Resources: ``SpreadsheetResource`` collects every problem as (row, column, message) with the
  row numbers the spreadsheet program shows (title rows, blank rows and header counted), notes
  (not errors) in ``notes``, and writes nothing when any row is bad. The error report repeats the
  file's own columns of each bad row (CSV with ``;`` or XLSX).
"""

from .bulk import insert_with_history
from .cells import (
    FORMULA_PREFIXES,
    choice_parser,
    escape_formula,
    parse_amount,
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
    SpreadsheetFileError,
    SpreadsheetResult,
    decode_bytes,
    error_report_csv,
    error_rows,
    read_csv,
    read_file,
    read_xlsx_rows,
    sniff_delimiter,
)
from .mapping import (
    ColumnMapping,
    Matcher,
    Target,
    apply_mapping,
    header_signature,
    normalise_header,
    propose_mapping,
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
    "ColumnMapping",
    "Matcher",
    "Target",
    "apply_mapping",
    "header_signature",
    "normalise_header",
    "propose_mapping",
    "Col",
    "RowProblems",
    "SpreadsheetDiff",
    "SpreadsheetResource",
    "SpreadsheetFileError",
    "SpreadsheetResult",
    "choice_parser",
    "decode_bytes",
    "error_report_csv",
    "error_rows",
    "escape_formula",
    "insert_with_history",
    "parse_amount",
    "parse_bool",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "read_csv",
    "read_file",
    "read_xlsx_rows",
    "render_choice",
    "render_date",
    "render_number",
    "sniff_delimiter",
    "text",
    "text_parser",
    "unescape_formula",
]
