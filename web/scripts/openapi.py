"""Print the gateway's OpenAPI document (what /api/openapi.json serves), built from the
installed contracts without starting anything: `npm run api:types` turns it into
src/api/schema.d.ts."""
import json
import sys

from gateway.app import create_app

document = create_app({"TESTING": True}).test_client().get("/api/openapi.json").get_json()
json.dump(document, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
