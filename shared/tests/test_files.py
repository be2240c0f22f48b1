"""The shared file store: a local directory, and an S3-compatible store (a moto server on
loopback stands in for MinIO or a cloud bucket)."""
from __future__ import annotations

import hashlib
import io
import os

import pytest

from fazhi_shared import files
from fazhi_shared.errors import NotFound


def _address(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def check_store(store):
    data = "住户台账".encode() * 50_000                 # larger than one chunk
    address, size = store.put(io.BytesIO(data))
    assert (address, size) == (_address(data), len(data))
    assert store.exists(address)
    with store.open(address) as f:
        assert f.read() == data
    # the same content stored again is the same file
    assert store.put(io.BytesIO(data)) == (address, size)
    # a stream over the limit keeps nothing
    with pytest.raises(files.FileTooLarge):
        store.put(io.BytesIO(b"y" * 1001), max_bytes=1000)
    assert not store.exists(_address(b"y" * 1001))
    # unknown and malformed addresses are not found, never a path outside the store
    for bad in (_address(b"never stored"), "sha256:../../etc/passwd", "../x", ""):
        assert not store.exists(bad)
        with pytest.raises(NotFound):
            store.open(bad)
    return address


def test_local_store(tmp_path):
    store = files.LocalFileStore(str(tmp_path / "store"))
    address = check_store(store)
    hexdigest = address.split(":")[1]
    assert os.path.exists(tmp_path / "store" / hexdigest[:2] / hexdigest[2:])
    # nothing half-written is left behind by the refused stream
    leftovers = [n for _, _, names in os.walk(tmp_path / "store") for n in names
                 if n.startswith(".upload-")]
    assert leftovers == []


def test_the_setting_chooses_the_store(tmp_path, monkeypatch):
    monkeypatch.setenv("FAZHI_FILE_STORE", f"file://{tmp_path}/a")
    assert isinstance(files.store(), files.LocalFileStore)
    ref = files.put_bytes(b"hello", "text/plain", "问候.txt")
    assert ref == {"address": _address(b"hello"), "size": 5, "content_type": "text/plain",
                   "filename": "问候.txt"}
    assert files.read_bytes(ref) == b"hello" and b"".join(files.iter_file(ref["address"])) == b"hello"
    assert os.path.isdir(tmp_path / "a")


@pytest.fixture
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def test_s3_store(s3_endpoint, monkeypatch):
    import boto3

    for name, value in (("AWS_DEFAULT_REGION", "us-east-1"),):
        monkeypatch.setenv(name, value)
    boto3.client("s3", endpoint_url=s3_endpoint, aws_access_key_id="k",
                 aws_secret_access_key="s").create_bucket(Bucket="fazhi")
    monkeypatch.setenv("FAZHI_FILE_STORE", "s3://fazhi/files")
    monkeypatch.setenv("FAZHI_S3_ENDPOINT", s3_endpoint)
    monkeypatch.setenv("FAZHI_S3_ACCESS_KEY", "k")
    monkeypatch.setenv("FAZHI_S3_SECRET_KEY", "s")
    store = files.store()
    assert isinstance(store, files.S3FileStore)
    address = check_store(store)
    keys = [o["Key"] for o in store.client.list_objects_v2(Bucket="fazhi")["Contents"]]
    assert keys == [f"files/sha256/{address.split(':')[1]}"]
