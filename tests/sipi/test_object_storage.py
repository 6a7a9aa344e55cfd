"""Media in S3-compatible object storage: the settings' S3 storages against a real S3 server on
loopback (moto's server mode). Photos are public-read; private documents never are."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
KEYS = {"S3_ACCESS_KEY_ID": "sipi-test", "S3_SECRET_ACCESS_KEY": "sipi-test-secret"}
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3_server():
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield endpoint
    proc.terminate()
    proc.wait(10)


def test_photos_are_public_and_documents_private(s3_server):
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id=KEYS["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["S3_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
    )
    client.create_bucket(Bucket="sipi-media")
    # The project's own settings, in a Django process configured for S3 by environment only.
    script = (
        "import json; from django.core.files.base import ContentFile;"
        "from django.core.files.storage import default_storage, storages;"
        "photo = default_storage.save('products/2026/foto.jpg', ContentFile(b'jpeg-bytes'));"
        "doc = storages['private'].save('documents/ktp.pdf', ContentFile(b'%PDF-1.4 ktp'));"
        "print(json.dumps({'photo': photo, 'photo_url': default_storage.url(photo),"
        " 'doc': doc, 'doc_url': storages['private'].url(doc),"
        " 'doc_back': storages['private'].open(doc).read().decode()}))"
    )
    env = {
        **os.environ,
        **KEYS,
        "S3_BUCKET": "sipi-media",
        "S3_ENDPOINT_URL": s3_server,
        "S3_REGION": "us-east-1",
    }
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    saved = json.loads(out.strip().splitlines()[-1])

    keys = {o["Key"] for o in client.list_objects_v2(Bucket="sipi-media")["Contents"]}
    assert keys == {"media/products/2026/foto.jpg", "private/documents/ktp.pdf"}
    photo_acl = client.get_object_acl(Bucket="sipi-media", Key="media/" + saved["photo"])
    doc_acl = client.get_object_acl(Bucket="sipi-media", Key="private/" + saved["doc"])
    public = lambda acl: any(g["Grantee"].get("URI") == ALL_USERS for g in acl["Grants"])  # noqa: E731
    assert public(photo_acl)
    assert not public(doc_acl)
    # Photo files get a new random name per upload: browsers keep them a year; documents no.
    photo_head = client.head_object(Bucket="sipi-media", Key="media/" + saved["photo"])
    assert photo_head["CacheControl"] == "public, max-age=31536000, immutable"
    doc_head = client.head_object(Bucket="sipi-media", Key="private/" + saved["doc"])
    assert "CacheControl" not in doc_head
    # Photo URLs are plain; a document URL is signed and short-lived.
    assert "Signature" not in saved["photo_url"] and "X-Amz" not in saved["photo_url"]
    assert "X-Amz-Signature=" in saved["doc_url"] and "X-Amz-Expires=300" in saved["doc_url"]
    assert saved["doc_back"] == "%PDF-1.4 ktp"
