"""Every ModelAdmin of the back-office, one module per area (loaded by admin autodiscovery)."""

from . import certifications, claims, jobs, mail, products, requests, units  # noqa: F401
