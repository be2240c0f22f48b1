"""The gateway under the real gunicorn (a child process, as in production) answers
oversized requests in the error envelope (issue 8, point 1): gunicorn's own limits are set
generously enough that Flask refuses a long query (414) or large headers (431) in JSON;
what is larger still, gunicorn refuses itself — also as JSON, never its HTML page."""
from __future__ import annotations

import json
import socket
from urllib.parse import urlsplit

import requests


def error(r) -> dict:
    assert r.headers["Content-Type"].startswith("application/json"), (r.status_code, r.text[:200])
    body = r.json()
    assert set(body) == {"error"}, body
    return body["error"]


def test_a_20kb_header_is_a_431_from_flask(gateway_url):
    r = requests.get(f"{gateway_url}/healthz", headers={"X-Padding": "a" * 20_000}, timeout=5)
    assert r.status_code == 431
    assert error(r)["code"] == "request_header_fields_too_large"
    assert r.headers.get("X-Request-ID")        # Flask answered, not gunicorn


def test_a_6kb_query_is_a_414_from_flask(gateway_url):
    r = requests.get(f"{gateway_url}/api/v1/org/people?q=" + "a" * 6000, timeout=5,
                     headers={"Accept-Language": "en"})
    assert r.status_code == 414
    assert error(r)["code"] == "uri_too_long"
    assert r.headers.get("X-Request-ID")


def test_nul_in_the_login_through_gunicorn_is_a_422(gateway_url):
    r = requests.post(f"{gateway_url}/api/v1/auth/login",
                      json={"username": "admin\x00", "password": "x"}, timeout=5)
    assert r.status_code == 422 and error(r)["fields"] == {"username": ["不能包含控制字符。"]}


def _raw(url: str, request: bytes) -> tuple[int, dict, bytes]:
    """Send raw bytes (requests cannot send what gunicorn refuses to parse)."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as s:
        s.sendall(request)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in
               (line.split(":", 1) for line in lines[1:] if ":" in line)}
    return status, headers, body


def test_a_request_line_beyond_gunicorn_is_refused_in_the_envelope(gateway_url):
    status, headers, body = _raw(gateway_url, b"GET /healthz?" + b"a" * 20_000
                                 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status == 414
    assert headers["content-type"].startswith("application/json")
    assert json.loads(body)["error"]["code"] == "uri_too_long"


def test_a_header_beyond_gunicorn_is_refused_in_the_envelope(gateway_url):
    status, headers, body = _raw(gateway_url, b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
                                 b"X-Padding: " + b"a" * 100_000
                                 + b"\r\nConnection: close\r\n\r\n")
    assert status == 431
    assert headers["content-type"].startswith("application/json")
    assert json.loads(body)["error"]["code"] == "request_header_fields_too_large"


def test_a_malformed_request_is_refused_in_the_envelope(gateway_url):
    status, headers, body = _raw(gateway_url, b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
                                 b"Bad Header Name: 1\r\nConnection: close\r\n\r\n")
    assert status == 400
    assert headers["content-type"].startswith("application/json")
    assert json.loads(body)["error"]["code"] == "bad_request"
