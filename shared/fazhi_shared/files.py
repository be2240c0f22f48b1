"""The shared content-addressed file store: uploads, downloads and attachments.

Files never travel through the broker (a multi-megabyte message holds up every queue it
passes through, and RabbitMQ caps message size). Whoever has a file puts it into the
store and passes its reference — ``{address, size, content_type, filename}`` — in the RPC
or event instead (the claim-check pattern). An address is ``sha256:<hex>`` of the
content, so the same file stored twice is stored once, and what is read back is exactly
what was put (the address is checked on the way in).

``FAZHI_FILE_STORE`` chooses the store:

- a directory (``/srv/fazhi/files`` or ``file:///srv/fazhi/files``) shared by the gateway
  and the services — the default, for one machine and compose (a shared volume);
- ``s3://bucket/prefix`` — an S3-compatible object store (MinIO, Ceph RGW, a cloud's),
  the setting for Kubernetes, where pods share no disk; ``FAZHI_S3_ENDPOINT``,
  ``FAZHI_S3_ACCESS_KEY`` and ``FAZHI_S3_SECRET_KEY`` say where and as whom
  (``pip install 'fazhi-shared[s3]'``).
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from typing import BinaryIO, Iterator

from .config import FILE_STORE, S3_ACCESS_KEY, S3_ENDPOINT, S3_SECRET_KEY
from .errors import NotFound

ADDRESS = re.compile(r"sha256:[0-9a-f]{64}")
CHUNK = 64 * 1024


class FileTooLarge(Exception):
    """The stream was longer than the ``max_bytes`` it was put with (nothing was kept)."""


def is_address(value) -> bool:
    return isinstance(value, str) and ADDRESS.fullmatch(value) is not None


def _spool(stream: BinaryIO, directory: str | None, max_bytes: int | None):
    """Copy ``stream`` to a temporary file while hashing it: (path, address, size)."""
    digest = hashlib.sha256()
    size = 0
    fd, path = tempfile.mkstemp(prefix=".upload-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as out:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise FileTooLarge()
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        os.unlink(path)
        raise
    return path, f"sha256:{digest.hexdigest()}", size


class LocalFileStore:
    """Files under one directory, named by address (``ab/cdef…``), written atomically."""

    def __init__(self, root: str):
        self.root = root

    def _path(self, address: str) -> str:
        if not is_address(address):
            raise NotFound("文件不存在。", "No such file.")
        hexdigest = address.split(":", 1)[1]
        return os.path.join(self.root, hexdigest[:2], hexdigest[2:])

    def put(self, stream: BinaryIO, max_bytes: int | None = None) -> tuple[str, int]:
        """Store what ``stream`` holds; returns ``(address, size)``."""
        os.makedirs(self.root, exist_ok=True)
        tmp, address, size = _spool(stream, self.root, max_bytes)
        final = self._path(address)
        os.makedirs(os.path.dirname(final), exist_ok=True)
        os.replace(tmp, final)       # atomic: a reader never sees half a file
        return address, size

    def open(self, address: str) -> BinaryIO:
        try:
            return open(self._path(address), "rb")
        except FileNotFoundError:
            raise NotFound("文件不存在。", "No such file.") from None

    def exists(self, address: str) -> bool:
        return is_address(address) and os.path.exists(self._path(address))


class S3FileStore:
    """Files in an S3-compatible bucket, keyed by address below ``prefix``."""

    def __init__(self, bucket: str, prefix: str = "", endpoint: str | None = None,
                 access_key: str | None = None, secret_key: str | None = None):
        import boto3   # the s3 extra; only deployments that choose S3 need it

        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = boto3.client("s3", endpoint_url=endpoint or None,
                                   aws_access_key_id=access_key or None,
                                   aws_secret_access_key=secret_key or None)

    def _key(self, address: str) -> str:
        if not is_address(address):
            raise NotFound("文件不存在。", "No such file.")
        name = address.replace(":", "/")
        return f"{self.prefix}/{name}" if self.prefix else name

    def put(self, stream: BinaryIO, max_bytes: int | None = None) -> tuple[str, int]:
        tmp, address, size = _spool(stream, None, max_bytes)
        try:
            if not self.exists(address):
                self.client.upload_file(tmp, self.bucket, self._key(address))
        finally:
            os.unlink(tmp)
        return address, size

    def open(self, address: str) -> BinaryIO:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(address))["Body"]
        except self.client.exceptions.NoSuchKey:
            raise NotFound("文件不存在。", "No such file.") from None

    def exists(self, address: str) -> bool:
        if not is_address(address):
            return False
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(address))
            return True
        except Exception:
            return False


def store_for(setting: str):
    """The store a ``FAZHI_FILE_STORE`` value names."""
    if setting.startswith("s3://"):
        bucket, _, prefix = setting[len("s3://"):].partition("/")
        return S3FileStore(bucket, prefix, S3_ENDPOINT.get(), S3_ACCESS_KEY.get(),
                           S3_SECRET_KEY.get())
    if setting.startswith("file://"):
        setting = setting[len("file://"):]
    return LocalFileStore(os.path.abspath(setting))


_stores: dict = {}


def store():
    """This process's store (per setting value, so tests may point it elsewhere)."""
    setting = FILE_STORE.get()
    s = _stores.get(setting)
    if s is None:
        s = _stores[setting] = store_for(setting)
    return s


def put_bytes(data: bytes, content_type: str, filename: str) -> dict:
    """Store ``data``; returns its file reference (what an RPC answers for a download)."""
    import io

    address, size = store().put(io.BytesIO(data))
    return {"address": address, "size": size, "content_type": content_type,
            "filename": filename}


def read_bytes(ref_or_address) -> bytes:
    """The whole content of a stored file (a reference dict or an address)."""
    address = ref_or_address["address"] if isinstance(ref_or_address, dict) else ref_or_address
    with store().open(address) as f:
        return f.read()


def iter_file(address: str) -> Iterator[bytes]:
    """The stored file in chunks (what the gateway streams to a client)."""
    f = store().open(address)
    try:
        while True:
            chunk = f.read(CHUNK)
            if not chunk:
                break
            yield chunk
    finally:
        f.close()


def copy_to(address: str, path: str) -> None:
    """Write a stored file to ``path`` (tools and tests)."""
    with store().open(address) as src, open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
