"""Retried writes through the gateway to the real org service: one record per key."""
import uuid


def test_three_retries_with_one_key_create_one_unit(world, client, as_user):
    admin = as_user(world.admin)
    key = str(uuid.uuid4())
    body = {"parent_id": world.units["compound"]["id"], "kind": "building",
            "name": f"重试{key[:6]}幢"}
    answers = [client.post("/api/v1/org/units", json=body,
                           headers={**admin, "Idempotency-Key": key}) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert len({a.get_json()["id"] for a in answers}) == 1
    children = client.get(f"/api/v1/org/units/{world.units['compound']['id']}/children"
                          "?limit=200", headers=admin).get_json()["items"]
    assert [c["name"] for c in children].count(body["name"]) == 1
    # the same key with another body is refused, naming the header
    r = client.post("/api/v1/org/units", json={**body, "name": "别的名字"},
                    headers={**admin, "Idempotency-Key": key})
    assert r.status_code == 422 and "Idempotency-Key" in r.get_json()["error"]["fields"]
