"""Writes to the catalog's data move the public cache version on (core/cache.py).

The catalog index itself is kept by database triggers (public/catalog_sql.py); this only tells
the shared cache that the landing facets and the home figures are out of date, so that the next
request recomputes them (once). Writes that send no signal (``QuerySet.update()``, raw SQL) are
caught up by the time-out and the scheduler's refresh.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from certifications.models import Certification
from events.models import Event
from ikm.models import IKMUnit
from products.models import MarketplaceLink, Product, SearchSynonym


def _bump(**kwargs) -> None:
    from public.catalog import bump_version

    # Now, and again after the commit: a request between the first bump and the commit may
    # have cached the data as it was before this transaction.
    bump_version()
    transaction.on_commit(bump_version, using=kwargs.get("using"))


def connect() -> None:
    # SearchSynonym: a synonym changes what a search finds (products.search). Event: the home
    # page (kept whole for anonymous visitors under this version) shows the next events.
    for model in (Product, IKMUnit, Certification, MarketplaceLink, SearchSynonym, Event):
        post_save.connect(_bump, sender=model, dispatch_uid=f"public-bump-save-{model.__name__}")
        post_delete.connect(
            _bump, sender=model, dispatch_uid=f"public-bump-delete-{model.__name__}"
        )
    m2m_changed.connect(
        _bump, sender=Certification.products.through, dispatch_uid="public-bump-cert-products"
    )
