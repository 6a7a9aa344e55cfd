"""The nightly datasets, their catalog and dictionaries, and the privacy walk over everything."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest
from django.conf import settings

from api import opendata
from api.tasks import build_datasets
from tests.api.conftest import PRIVATE_VALUES, build_open_catalog
from tests.support.worker import wait_for

DIRECT = pytest.mark.django_db(transaction=True, databases=["default", "direct"])
SATU_DATA_KEYS = {
    "judul",
    "deskripsi",
    "produsen_data",
    "periode",
    "frekuensi_pemutakhiran",
    "lisensi",
    "kontak",
    "variabel",
    "kode_referensi",
}


def dataset_files() -> dict[str, Path]:
    manifest = json.loads((Path(settings.MEDIA_ROOT) / "opendata" / "manifest.json").read_text())
    return {
        f"{name}.{fmt}": Path(settings.MEDIA_ROOT) / info["path"]
        for name, entry in manifest["datasets"].items()
        for fmt, info in entry["files"].items()
    }


def read_gz(path: Path) -> str:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return handle.read()


@DIRECT
def test_task_builds_every_dataset_and_replaces_the_previous_run(regions):
    catalog = build_open_catalog()
    counts = build_datasets()
    assert counts["produk"] == 3 and counts["unit"] == 2 and counts["statistik"] > 0
    assert counts["wilayah"] > 2000
    files = dataset_files()
    assert set(files) == {
        f"{n}.{f}" for n in ("produk", "unit", "wilayah", "statistik") for f in ("csv", "jsonl")
    }
    rows = list(csv.DictReader(io.StringIO(read_gz(files["produk.csv"]))))
    assert {r["slug"] for r in rows} == {"kain-tenun-songket", "amplang-ikan", "kerupuk-basah"}
    amplang = next(r for r in rows if r["slug"] == "amplang-ikan")
    assert amplang["sertifikat_aktif"] == "halal" and amplang["kode_kabupaten"] == "61.71"
    units = [json.loads(line) for line in read_gz(files["unit.jsonl"]).splitlines()]
    assert {u["slug"] for u in units} == {"tenun-rahasia-sambas", "amplang-kayong"}
    shown = next(u for u in units if u["slug"] == "amplang-kayong")
    assert shown["whatsapp"] == "+6281255550001"
    stats = list(csv.DictReader(io.StringIO(read_gz(files["statistik.csv"]))))
    assert {"dimensi": "unit_per_tahun_berdiri", "kode": "2011", "nama": "", "jumlah": "2"} in stats
    # A second run: new files, the old ones gone, the manifest naming the new ones.
    catalog.products[2].delete()
    build_datasets()
    newer = dataset_files()
    assert not any(p.exists() for p in files.values())
    assert all(p.exists() for p in newer.values())
    assert len(read_gz(newer["produk.csv"]).splitlines()) == 1 + 2


@DIRECT
def test_catalog_dictionaries_and_page(client, regions):
    build_open_catalog()
    assert client.get("/data/catalog.json").json()["dataset"] == []  # nothing built yet
    assert "belum dibangun" in client.get("/data/").content.decode()
    build_datasets()
    catalog = client.get("/data/catalog.json").json()
    assert [d["title"] for d in catalog["dataset"]][0] == "Produk IKM Kalimantan Barat"
    assert len(catalog["dataset"]) == 4
    for dataset in catalog["dataset"]:
        assert dataset["license"].startswith("https://creativecommons.org/licenses/by/4.0")
        for dist in dataset["distribution"]:
            url = dist["downloadURL"].removeprefix("http://testserver")
            redirect = client.get(url)
            assert redirect.status_code == 302
            stored = Path(settings.MEDIA_ROOT) / redirect["Location"].removeprefix("/media/")
            assert stored.stat().st_size == dist["byteSize"]
        kamus = client.get(dataset["describedBy"].removeprefix("http://testserver")).json()
        assert SATU_DATA_KEYS <= set(kamus)
        assert kamus["lisensi"]["nama"] == "CC BY 4.0"
        assert kamus["produsen_data"].startswith("Dinas Perindustrian dan Perdagangan")
        assert all(v["definisi"] for v in kamus["variabel"])
    unit_dictionary = client.get("/data/unit/kamus.json").json()
    assert [v["nama"] for v in unit_dictionary["variabel"]] == [
        c.name for c in opendata.UNIT_COLUMNS
    ]
    page = client.get("/data/").content.decode()
    assert "Unit IKM Kalimantan Barat" in page and "/data/produk.csv.gz" in page
    assert client.get("/data/tidak-ada/kamus.json").status_code == 404
    assert client.get("/data/produk.xlsx.gz").status_code == 404


def _walk_api(client) -> list[str]:
    """Every list (each page) and every detail of every endpoint, plus the others."""
    bodies = []
    for name, key in (("produk", "slug"), ("unit", "slug"), ("sertifikat", "id")):
        url = f"/api/v1/{name}/?ukuran=200"
        while url:
            response = client.get(url)
            assert response.status_code == 200
            bodies.append(response.content.decode())
            data = response.json()
            for row in data["results"]:
                detail = client.get(f"/api/v1/{name}/{row[key]}/")
                assert detail.status_code == 200
                bodies.append(detail.content.decode())
            url = data["next"]
    for url in (
        "/api/v1/",
        "/api/v1/wilayah/?induk=61.01.01",
        "/api/v1/statistik/",
        "/api/v1/sertifikat/verifikasi/?nomor=ID61110000123450824",
        "/api/v1/sertifikat/verifikasi/?nomor=IDM000123456",
        "/api/schema/",
        "/data/",
        "/data/catalog.json",
        *[f"/data/{name}/kamus.json" for name in opendata.DATASETS],
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        bodies.append(response.content.decode())
    return bodies


@DIRECT
def test_no_private_value_in_any_answer_or_dataset(client, regions):
    build_open_catalog()
    build_datasets()
    texts = _walk_api(client)
    texts += [read_gz(path) for path in dataset_files().values()]
    # The walk did reach the owner's unit (so the check below is not vacuous).
    assert any("tenun-rahasia-sambas" in text for text in texts)
    leaks = {value for value in PRIVATE_VALUES for text in texts if value in text}
    assert leaks == set()


def _manifest_in(root: Path):
    try:
        return json.loads((root / "opendata" / "manifest.json").read_text())
    except (FileNotFoundError, ValueError):
        return None


@DIRECT
def test_nightly_task_through_the_real_worker(start_worker, regions, tmp_path):
    """The beat entry's task, sent to a real worker (with the direct connection)."""
    from api.tasks import build_datasets as task

    assert settings.CELERY_BEAT_SCHEDULE["build-open-data"]["task"] == task.name
    media = tmp_path / "worker-media"
    start_worker({"MEDIA_ROOT": str(media)})
    build_open_catalog()
    task.delay()
    manifest = wait_for(lambda: _manifest_in(media), timeout=90)
    assert manifest["datasets"]["produk"]["rows"] == 3
    assert manifest["datasets"]["unit"]["rows"] == 2
