"""Every ModelAdmin of the back-office, one module per area (loaded by admin autodiscovery)."""

from . import (  # noqa: F401
    certifications,
    claims,
    consignment,
    curation,
    events,
    import_mappings,
    jobs,
    mail,
    matching,
    privacy,
    products,
    regions,
    requests,
    search,
    security,
    units,
)
