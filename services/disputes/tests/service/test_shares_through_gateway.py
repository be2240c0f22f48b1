"""The closing note's first item, through the gateway: the three shares of a compound
read 2/3, 3/3, 0/3; then 2/4, 4/4, 0/4; then 2/5, 4/5, 1/5 — numerators and
denominators from the maintained aggregates. Also: the level of conclusion is kept, the
case file is required to close, and reopening takes a conclusion back out."""

from fazhi_shared import clock



def F(n, d):
    return {"numerator": n, "denominator": d}


def shares(api, world):
    month = clock.to_local(clock.now()).strftime("%Y-%m")
    stats = api.ok("GET", "/statistics", unit_id=world.units["compound"]["id"],
                   from_month=month, to_month=month)
    return stats, stats["shares"]


def test_the_three_shares_move_as_cases_conclude(world, flows):
    new_case, act, settle = flows.new_case, flows.act, flows.settle
    admin = world.api["admin"]
    _, before = shares(admin, world)
    assert before == {"in_compound": F(0, 0), "at_or_below_street": F(0, 0),
                      "above_street": F(0, 0)}
    a = settle(admin, new_case(admin, world))
    b = settle(admin, new_case(admin, world, unit="unit1"))
    c = act(admin, new_case(admin, world), "accept")
    c = act(admin, c, "escalate", reason="小区调委会调解未果，上交社区。")
    assert c["level"] == "community" and c["handling_unit_id"] == world.units["community"]["id"]
    c = settle(admin, c)
    open_case = new_case(admin, world)
    assert set(open_case["allowed_actions"]) == {"accept", "refuse", "party_refuses", "assign"}
    assert [x["concluded_level"] for x in (a, b, c)] == ["compound", "compound", "community"]
    stats, s = shares(admin, world)
    assert s == {"in_compound": F(2, 3), "at_or_below_street": F(3, 3), "above_street": F(0, 3)}
    assert stats["registered"] == 4 and stats["resolution_rate"] == F(3, 3)

    d = act(admin, open_case, "accept")
    for reason in ("上交社区", "上交街道"):
        d = act(admin, d, "escalate", reason=reason)
    assert d["level"] == "street"
    settle(admin, d)
    _, s = shares(admin, world)
    assert s == {"in_compound": F(2, 4), "at_or_below_street": F(4, 4), "above_street": F(0, 4)}

    e = act(admin, new_case(admin, world), "accept")
    for reason in ("上交社区", "上交街道", "上交市矛调中心"):
        e = act(admin, e, "escalate", reason=reason)
    assert e["level"] == "city" and e["handling_unit_id"] == world.units["city"]["id"]
    code, body = admin.post(f"/cases/{e['id']}/actions", {"action": "escalate", "reason": "再上交"})
    assert code == 409
    e = settle(admin, e)
    assert e["concluded_level"] == "city"
    stats, s = shares(admin, world)
    assert s == {"in_compound": F(2, 5), "at_or_below_street": F(4, 5), "above_street": F(1, 5)}
    assert stats["registered"] == 5
    by_unit = {r["key"]: r for r in stats["by_unit"]}
    assert by_unit[world.units["compound"]["id"]]["name"] == "阳光花园"
    assert by_unit[world.units["compound"]["id"]]["shares"] == s

    # the community's worker sees the same figures; a worker of another street sees none
    _, s_worker = shares(world.api["worker"], world)
    assert s_worker == s
    code, _ = world.api["worker_b"].get("/statistics", unit_id=world.units["compound"]["id"],
                                        from_month="2026-01", to_month="2026-12")
    assert code == 404

    # reopening a settled case takes its conclusion back out of the shares
    act(admin, e, "reopen", reason="协议未履行，重新调解。")
    _, s = shares(admin, world)
    assert s == {"in_compound": F(2, 4), "at_or_below_street": F(4, 4), "above_street": F(0, 4)}


def test_passing_out_counts_above_the_street(world, flows):
    new_case, act = flows.new_case, flows.act
    admin = world.api["admin"]
    _, before = shares(admin, world)
    case = act(admin, new_case(admin, world, unit="compound2"), "accept")
    case = act(admin, case, "pass_out", to_body="court", reason="当事人已起诉，移交法院。")
    assert case["state"] == "passed_out" and case["outcome"] == "passed_out"
    month = clock.to_local(clock.now()).strftime("%Y-%m")
    stats = admin.ok("GET", "/statistics", unit_id=world.units["compound2"]["id"],
                     from_month=month, to_month=month)
    assert stats["shares"]["above_street"] == F(1, 1) and stats["passed_out"] == 1
    closed = act(admin, case, "close")
    assert closed["state"] == "closed"


def test_closing_requires_the_case_file(world, flows):
    new_case, act, settle = flows.new_case, flows.act, flows.settle
    admin = world.api["admin"]
    case = settle(admin, new_case(admin, world))
    code, body = admin.post(f"/cases/{case['id']}/actions", {"action": "close"})
    assert code == 409                      # settled: the follow-up visit comes first
    case = act(admin, case, "follow_up", reason="回访：赔偿款已到账，双方满意。")
    closed = act(admin, case, "close")
    assert closed["state"] == "closed" and closed["closed_at"]

    failed = act(admin, new_case(admin, world), "accept")
    failed = act(admin, failed, "start_mediation")
    code, body = admin.post(f"/cases/{failed['id']}/actions",
                            {"action": "fail", "reason": "双方分歧过大。"})
    assert code == 422 and "routes_advised" in body["error"]["fields"]
    failed = act(admin, failed, "fail", reason="双方分歧过大。", routes_advised=["court"])
    code, body = admin.post(f"/cases/{failed['id']}/actions", {"action": "close"})
    assert code == 409 and "调解记录" in body["error"]["message"]     # no session record
    admin.ok("POST", f"/cases/{failed['id']}/records", {"kind": "session", "text": "调解记录"})
    assert act(admin, failed, "close")["state"] == "closed"
    kinds = {r["kind"] for r in admin.ok("GET", f"/cases/{failed['id']}/records")["items"]}
    assert kinds == {"registration", "session", "routes_advised"}


def test_a_case_before_a_court_is_refused_at_acceptance_and_a_refusal_ends_it(world, flows):
    new_case, act = flows.new_case, flows.act
    admin = world.api["admin"]
    case = new_case(admin, world, prior_authority="court")
    refused = act(admin, case, "accept")
    assert refused["state"] == "refused"
    [record] = [r for r in admin.ok("GET", f"/cases/{case['id']}/records")["items"]
                if r["kind"] == "refusal"]
    assert "人民法院" in record["text"]
    assert act(admin, refused, "close")["state"] == "closed"
    other = act(admin, new_case(admin, world), "accept")
    ended = act(admin, other, "party_refuses", reason="被申请人明确拒绝调解。")
    assert ended["state"] == "refused"
    code, _ = admin.post(f"/cases/{other['id']}/actions", {"action": "start_mediation"})
    assert code == 409


def test_bad_input_names_the_field_in_chinese(world, flows):
    admin = world.api["admin"]
    code, body = admin.post("/cases", {"unit_id": world.units["compound"]["id"],
                                       "source": "rumour", "category": "neighbours",
                                       "description": "x", "parties": []})
    assert code == 422 and {"source", "parties"} <= set(body["error"]["fields"])
    code, body = admin.post("/cases", {"unit_id": world.units["community"]["id"],
                                       "source": "grid_patrol", "category": "neighbours",
                                       "description": "社区层面", "parties": [
                                           {"person_id": admin.person_id, "role": "applicant"}]})
    assert code == 422 and "unit_id" in body["error"]["fields"]
