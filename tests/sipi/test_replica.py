"""The read replica: public pages read the catalog from a REAL streaming replica of the local
cluster (``pg_basebackup -R``, sipi/localreplica.py), and an owner reads their own write at once.

The replica is started once for this module (a copy of the test cluster, about a second) and
thrown away afterwards. Lag is made real by pausing replay on the replica
(``pg_wal_replay_pause()``): rows committed on the primary are then missing from the replica.
"""

from __future__ import annotations

import os
import time

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client
from django.urls import reverse

from products.models import Product
from sipi import localreplica
from sipi.dbrouting import COOKIE
from tests.factories import ProductFactory
from tests.support.databases import SqlLog, extra_alias
from tests.support.requests import product_a, unit_a  # noqa: F401 - fixtures

DB = ["default", "direct"]
# The replica is a copy of the project's own cluster (sipi/localpg.py).
pytestmark = pytest.mark.skipif(
    bool(django_settings.DATABASE_URL), reason="needs the local cluster (DATABASE_URL is set)"
)


@pytest.fixture(scope="module")
def replica_name():
    name = f"test-{os.getpid()}"
    localreplica.start(name)
    yield name
    localreplica.stop(name)


@pytest.fixture
def replica(transactional_db, replica_name):
    """The ``replica`` alias on the running replica (added after the test's database set-up);
    replay is resumed afterwards whatever the test did."""
    with extra_alias("replica", localreplica.url(replica_name)) as conn:
        yield conn
        with conn.cursor() as cur:
            cur.execute("SELECT pg_wal_replay_resume()")


def in_recovery(alias: str) -> bool:
    with connections[alias].cursor() as cur:
        cur.execute("SELECT pg_is_in_recovery()")
        return cur.fetchone()[0]


def pause_replay(name: str) -> None:
    localreplica.psql("SELECT pg_wal_replay_pause()", name=name)
    deadline = time.monotonic() + 10
    while localreplica.psql("SELECT pg_get_wal_replay_pause_state()", name=name) != "paused":
        assert time.monotonic() < deadline, "replay did not pause"
        time.sleep(0.05)


def name_on(alias: str, pk: int) -> str:
    with connections[alias].cursor() as cur:
        cur.execute("SELECT name FROM products_product WHERE id = %s", [pk])
        return cur.fetchone()[0]


@pytest.mark.django_db(transaction=True, databases=DB)
def test_public_pages_read_the_catalog_from_the_replica(
    regions, replica, replica_name, owner, settings
):
    # Which database computes the page is the question: a page from the shared page cache
    # (public/middleware.py) reads none, and one cached by an earlier test may predate this one.
    settings.PUBLIC_QUERY_PAGE_CACHE = False
    product = ProductFactory(name="Lempok Durian Replika", unit__owner=owner)
    localreplica.wait_replayed(replica_name)
    assert in_recovery("replica") and not in_recovery("default")
    anonymous = Client()

    pages = [
        reverse("public:catalog") + "?q=lempok",
        product.get_absolute_url(),
        reverse("public:unit_detail", args=[product.unit.slug]),
    ]
    for url in pages:
        with SqlLog("default", "replica") as log:
            response = anonymous.get(url)
        assert response.status_code == 200, url
        assert "Lempok Durian Replika" in response.text, url
        # Every catalog read of the page ran on the standby, none on the primary.
        assert log.on("replica", "products_product"), url
        assert not log.on("default", "products_product"), url
        assert not log.on("default", "ikm_ikmunit"), url

    # The owner portal and the back-office read the primary.
    owner_client = Client()
    owner_client.force_login(owner)
    with SqlLog("default", "replica") as log:
        response = owner_client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    assert "Lempok Durian Replika" in response.text
    assert log.on("default", "products_product")
    assert not [sql for alias, sql in log.statements if alias == "replica"]

    # With replay paused, a rename committed on the primary is not on the replica yet: the
    # public page still shows the old name, so it really was read from the replica.
    pause_replay(replica_name)
    Product.objects.filter(pk=product.pk).update(name="Lempok Durian Baru")
    assert name_on("default", product.pk) == "Lempok Durian Baru"
    assert name_on("replica", product.pk) == "Lempok Durian Replika"
    response = anonymous.get(product.get_absolute_url())
    assert "Lempok Durian Replika" in response.text
    assert "Lempok Durian Baru" not in response.text


@pytest.mark.django_db(transaction=True, databases=DB)
def test_owner_reads_their_own_write_at_once(
    regions,
    replica,
    replica_name,
    owner,
    product_a,  # noqa: F811 - the fixture
    settings,
):
    settings.READ_YOUR_WRITES_SECONDS = 2
    localreplica.wait_replayed(replica_name)
    pause_replay(replica_name)  # the replica lags from here on
    owner_client, anonymous = Client(), Client()
    owner_client.force_login(owner)
    public_url = product_a.get_absolute_url()

    response = owner_client.post(
        reverse("portal:product_edit", args=[product_a.pk]),
        {
            "name": "Lempok Durian Premium 500 g",
            "category": product_a.category,
            "description": product_a.description,
            "price": "55000",
            "price_unit": product_a.price_unit,
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    assert COOKIE in response.cookies
    # The write is on the primary; the paused replica still has the old row.
    assert name_on("default", product_a.pk) == "Lempok Durian Premium 500 g"
    assert name_on("replica", product_a.pk) == "Lempok Durian 250 g"

    # The owner's next GET of the public page reads from the primary: their change is there.
    with SqlLog("default", "replica") as log:
        response = owner_client.get(public_url)
    assert response.status_code == 200
    assert "Lempok Durian Premium 500 g" in response.text
    assert log.on("default", "products_product")
    assert not log.on("replica", "products_product")

    # Another visitor, who sent nothing, reads the lagging replica.
    response = anonymous.get(public_url)
    assert "Lempok Durian 250 g" in response.text
    assert "Premium" not in response.text

    # After READ_YOUR_WRITES_SECONDS the owner is back on the replica too.
    time.sleep(settings.READ_YOUR_WRITES_SECONDS + 1.1)
    with SqlLog("default", "replica") as log:
        response = owner_client.get(public_url)
    assert "Lempok Durian 250 g" in response.text
    assert log.on("replica", "products_product")

    # Replay resumed: the replica catches up and everyone sees the new name.
    localreplica.psql("SELECT pg_wal_replay_resume()", name=replica_name)
    localreplica.wait_replayed(replica_name)
    assert "Lempok Durian Premium 500 g" in anonymous.get(public_url).text


@pytest.mark.django_db(transaction=True, databases=DB)
def test_without_a_replica_everything_reads_the_primary(regions, owner):
    product = ProductFactory(name="Amplang Tanpa Replika", unit__owner=owner)
    assert "replica" not in connections.settings
    with SqlLog("default") as log:
        response = Client().get(product.get_absolute_url())
    assert response.status_code == 200
    assert log.on("default", "products_product")
    # A form sent without a replica sets no read-your-writes cookie.
    client = Client()
    client.force_login(owner)
    response = client.post(
        reverse("portal:product_edit", args=[product.pk]),
        {
            "name": "Amplang Tanpa Replika",
            "category": product.category,
            "description": product.description,
            "price": "1000",
            "price_unit": product.price_unit,
        },
    )
    assert response.status_code == 302
    assert COOKIE not in response.cookies
