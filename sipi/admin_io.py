"""Import/export integration for the admin (owned by the import/export work; extended there).

Every back-office ModelAdmin with spreadsheets inherits ``ScopedImportExportMixin``.
"""

from import_export.admin import ImportExportMixin


class ScopedImportExportMixin(ImportExportMixin):
    """Scoping, formula escaping and personal-data rules: added by the import work."""
