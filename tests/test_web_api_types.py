"""The web clients' API types (web/src/api/schema.d.ts) are generated from the gateway's
OpenAPI document, never written by hand: this test regenerates them and fails while the
committed file is stale — after a contract changed, run ``npm run api:types`` in web/."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from fazhi_shared.service.testing import CI

from gateway.app import create_app

WEB = Path(__file__).resolve().parents[1] / "web"
GENERATOR = WEB / "node_modules" / ".bin" / "openapi-typescript"


def test_api_types_are_generated_from_the_openapi_document(tmp_path):
    if not os.access(GENERATOR, os.X_OK):
        if CI.get():
            pytest.fail("web/node_modules is missing: make test runs npm ci first")
        pytest.skip("web/node_modules is missing (npm ci in web/)")
    document = create_app({"TESTING": True}).test_client().get("/api/openapi.json").get_json()
    source = tmp_path / "openapi.json"
    # As web/scripts/openapi.py writes it (what `npm run api:types` reads).
    source.write_text(json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True),
                      encoding="utf-8")
    out = tmp_path / "schema.d.ts"
    subprocess.run([str(GENERATOR), str(source), "-o", str(out)], cwd=WEB, check=True,
                   capture_output=True)
    committed = (WEB / "src" / "api" / "schema.d.ts").read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == committed, (
        "web/src/api/schema.d.ts is stale: run `npm run api:types` in web/ and commit it")
