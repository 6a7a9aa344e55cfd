"""Background work of the back-office, run by the Celery worker (``jobs.tasks.run_job``).

Spreadsheet imports: one job kind per model whose admin imports (``import:<app>.<model>``), all
run by :func:`backoffice.importexport.run_import` with that admin's resource and rules.
"""

from __future__ import annotations

from backoffice import admin as _admin_modules  # noqa: F401 - the admins must be registered
from backoffice.importexport import run_import
from jobs.registry import handler

IMPORT_KINDS = (
    "import:ikm.ikmunit",
    "import:products.product",
    "import:certifications.certification",
)

for _kind in IMPORT_KINDS:
    handler(_kind)(run_import)
