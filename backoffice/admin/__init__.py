"""Every ModelAdmin of the back-office, one module per area (loaded by admin autodiscovery)."""

from . import (  # noqa: F401
    certifications,
    claims,
    import_mappings,
    jobs,
    mail,
    privacy,
    products,
    regions,
    requests,
    security,
    units,
)
