"""The public API: only public rows and fields, filters, cursor pages, HTTP caching, throttle."""

from __future__ import annotations

import pytest

from certifications.models import CertificationType
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def results(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def slugs(client, url) -> set[str]:
    return {row["slug"] for row in results(client, url)}


def test_only_published_products_of_verified_units(client, open_catalog):
    assert slugs(client, f"{API}/produk/") == {
        "kain-tenun-songket",
        "amplang-ikan",
        "kerupuk-basah",
    }
    assert client.get(f"{API}/produk/draf-produk/").status_code == 404
    assert client.get(f"{API}/produk/produk-sembunyi/").status_code == 404
    product = client.get(f"{API}/produk/amplang-ikan/").json()
    assert product["sertifikat_aktif"] == ["halal"]
    assert product["unit"] == {"slug": "amplang-kayong", "nama": "Amplang Kayong"}
    assert product["kode_kabupaten"] == "61.71"
    assert len(product["marketplace"]) == 1


def test_units_show_only_public_fields_and_chosen_contacts(client, open_catalog):
    assert slugs(client, f"{API}/unit/") == {"tenun-rahasia-sambas", "amplang-kayong"}
    assert client.get(f"{API}/unit/belum-diverifikasi/").status_code == 404
    shown = client.get(f"{API}/unit/amplang-kayong/").json()
    assert shown["whatsapp"] == "+6281255550001"
    private = client.get(f"{API}/unit/tenun-rahasia-sambas/").json()
    assert (private["telepon"], private["whatsapp"], private["email"]) == ("", "", "")
    assert not {"nik", "owner_address", "owner_phone", "nib", "npwp", "investment"} & set(private)


def test_product_filters_and_search(client, open_catalog):
    assert slugs(client, f"{API}/produk/?kabupaten=61.71") == {"amplang-ikan", "kerupuk-basah"}
    assert slugs(client, f"{API}/produk/?sertifikat=halal") == {"amplang-ikan"}
    assert slugs(client, f"{API}/produk/?harga_min=20000&harga_maks=40000") == {"amplang-ikan"}
    assert slugs(client, f"{API}/produk/?marketplace=1") == {"amplang-ikan"}
    assert slugs(client, f"{API}/produk/?q=tenun") == {"kain-tenun-songket"}
    assert slugs(client, f"{API}/produk/?q=amplank") == {"amplang-ikan"}  # a typo
    bad = client.get(f"{API}/produk/?harga_min=murah&sertifikat=palsu")
    assert bad.status_code == 400
    assert set(bad.json()) == {"harga_min", "sertifikat"}
    assert "bilangan" in bad.json()["harga_min"][0]  # Indonesian message


def test_regions_hierarchy(client, open_catalog):
    rows = results(client, f"{API}/wilayah/?induk=61&ukuran=200")
    assert {r["tingkat"] for r in rows} == {"kabupaten", "kota"}
    assert len(rows) == 14
    desa = client.get(f"{API}/wilayah/61.71.01.1002/").json()
    assert desa["kode_induk"] == "61.71.01"


def test_certificates_and_verification(client, open_catalog):
    numbers = {row["nomor"] for row in results(client, f"{API}/sertifikat/")}
    assert numbers == {"ID61110000123450824", "IDM000123456"}  # not the unverified unit's
    found = client.get(f"{API}/sertifikat/verifikasi/", {"nomor": " id6111 0000-1234.50824 "})
    assert [c["nomor"] for c in found.json()] == ["ID61110000123450824"]
    assert found.json()[0]["produk"] == ["amplang-ikan"]  # the draft is not named
    assert found.json()[0]["status"] == "active"
    near = client.get(f"{API}/sertifikat/verifikasi/", {"nomor": "ID6111000012345082"})
    assert near.json() == []
    hidden = client.get(f"{API}/sertifikat/verifikasi/", {"nomor": "ID61110000999990824"})
    assert hidden.json() == []
    assert client.get(f"{API}/sertifikat/verifikasi/").status_code == 400
    expired = client.get(f"{API}/sertifikat/verifikasi/", {"nomor": "IDM000123456"}).json()
    assert expired[0]["status"] == "expired"


def test_statistics_count_public_rows_only(client, open_catalog):
    data = client.get(f"{API}/statistik/").json()
    per_kab = {r["kode"]: r["jumlah"] for r in data["unit_per_kabupaten"]}
    assert sum(per_kab.values()) == 2 and per_kab["61.71"] == 1
    assert {r["kode"]: r["jumlah"] for r in data["unit_per_tahun_berdiri"]} == {"2011": 2}
    assert {r["kode"]: r["jumlah"] for r in data["unit_per_kbli"]} == {"10750": 1, "13112": 1}
    by_type = {r["kode"]: r["jumlah"] for r in data["produk_bersertifikat_per_jenis"]}
    assert by_type == {CertificationType.HALAL: 1}  # the draft and the expired merek do not count


def test_repeated_request_with_etag_is_304(client, open_catalog):
    first = client.get(f"{API}/produk/")
    assert first["Cache-Control"] == "public, max-age=60"
    assert first["Last-Modified"]
    again = client.get(f"{API}/produk/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    since = client.get(f"{API}/produk/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    product = open_catalog.products[1]
    product.name = "Amplang Ikan Tenggiri Baru"
    product.save()
    changed = client.get(f"{API}/produk/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    detail = client.get(f"{API}/unit/amplang-kayong/")
    assert (
        client.get(f"{API}/unit/amplang-kayong/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code
        == 304
    )


def test_throttle_answers_429_with_retry_after(client, open_catalog, settings):
    settings.API_THROTTLE_RATE = "3/min"
    for _ in range(3):
        assert client.get(f"{API}/wilayah/", REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = client.get(f"{API}/wilayah/", REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    detail = refused.json()["detail"]
    assert detail.startswith("Terlalu banyak permintaan dari alamat Anda. Coba lagi dalam ")
    assert client.get(f"{API}/wilayah/", REMOTE_ADDR="203.0.113.8").status_code == 200
    # Behind one trusted proxy the forwarded client address counts, not the proxy's.
    settings.TRUSTED_PROXY_COUNT = 1
    headers = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert client.get(f"{API}/wilayah/", **headers).status_code == 429
    headers["HTTP_X_FORWARDED_FOR"] = "198.51.100.4"
    assert client.get(f"{API}/wilayah/", **headers).status_code == 200


def test_cursor_pages_stable_while_rows_are_inserted(client, open_catalog):
    for n in range(7):
        ProductFactory(unit=open_catalog.shown_unit, name=f"Kue {n}", slug=f"kue-{n}")
    before = [r["slug"] for r in results(client, f"{API}/produk/?ukuran=200")]
    seen: list[str] = []
    url = f"{API}/produk/?ukuran=3"
    inserted = False
    while url:
        page = client.get(url).json()
        seen += [r["slug"] for r in page["results"]]
        if not inserted:  # rows added while the client walks the list
            ProductFactory(unit=open_catalog.shown_unit, name="Baru A", slug="baru-a")
            ProductFactory(unit=open_catalog.private_unit, name="Baru B", slug="baru-b")
            inserted = True
        url = page["next"]
    assert len(seen) == len(set(seen))  # nothing twice
    assert seen[: len(before)] == before  # nothing skipped, same order
    assert seen[len(before) :] == ["baru-a", "baru-b"]


def test_cors_for_get_only(client, open_catalog):
    response = client.get(f"{API}/produk/", HTTP_ORIGIN="https://data.kalbarprov.go.id")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        f"{API}/produk/",
        HTTP_ORIGIN="https://contoh.id",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert client.post(f"{API}/produk/").status_code == 405
    page = client.get("/produk/", HTTP_ORIGIN="https://contoh.id")
    assert "Access-Control-Allow-Origin" not in page  # only /api/ and /data/


def test_invalid_cursor_is_a_clear_404(client, open_catalog):
    response = client.get(f"{API}/produk/?cursor=rusak")
    assert response.status_code == 404
    assert "Kursor" in response.json()["detail"]


def test_schema_and_docs_are_served_by_the_project(client, open_catalog):
    schema = client.get("/api/schema/?format=json").json()
    assert {
        "/api/v1/produk/",
        "/api/v1/unit/",
        "/api/v1/wilayah/",
        "/api/v1/sertifikat/",
        "/api/v1/sertifikat/verifikasi/",
        "/api/v1/statistik/",
    } <= set(schema["paths"])
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs
    assert "<style" not in docs and "<script>" not in docs  # CSP: no inline code
    assert "https://" not in docs  # no CDN
