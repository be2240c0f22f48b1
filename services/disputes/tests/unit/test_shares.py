"""The three shares (``disputes.domain.shares``): fractions, the issue's figures, edges."""
import pytest

from disputes.domain.shares import BUCKETS, bucket_of, three_shares


def f(n, d):
    return {"numerator": n, "denominator": d}


def shares(*buckets):
    counts = {}
    for b in buckets:
        counts[b] = counts.get(b, 0) + 1
    return three_shares(counts)


def test_the_issue_figures():
    assert shares("compound", "compound", "community") == {
        "in_compound": f(2, 3), "at_or_below_street": f(3, 3), "above_street": f(0, 3)}
    assert shares("compound", "compound", "community", "street") == {
        "in_compound": f(2, 4), "at_or_below_street": f(4, 4), "above_street": f(0, 4)}
    assert shares("compound", "compound", "community", "street", "city") == {
        "in_compound": f(2, 5), "at_or_below_street": f(4, 5), "above_street": f(1, 5)}


def test_no_concluded_case_is_zero_of_zero():
    assert three_shares({}) == {"in_compound": f(0, 0), "at_or_below_street": f(0, 0),
                                "above_street": f(0, 0)}


@pytest.mark.parametrize("bucket", BUCKETS)
def test_each_bucket_alone(bucket):
    s = three_shares({bucket: 7})
    assert s["in_compound"] == f(7 if bucket == "compound" else 0, 7)
    assert s["at_or_below_street"] == f(7 if bucket in ("compound", "community", "street")
                                        else 0, 7)
    assert s["above_street"] == f(7 if bucket in ("city", "out") else 0, 7)


def test_at_or_below_and_above_always_add_up():
    s = three_shares({"compound": 3, "community": 1, "street": 2, "city": 4, "out": 5})
    assert s["at_or_below_street"]["numerator"] + s["above_street"]["numerator"] == 15


@pytest.mark.parametrize("outcome, level, bucket", [
    ("settled", "compound", "compound"), ("failed", "compound", "compound"),
    ("settled", "community", "community"), ("failed", "street", "street"),
    ("settled", "city", "city"), ("passed_out", "compound", "out"),
    ("passed_out", "street", "out"), ("passed_out", "city", "out"),
])
def test_bucket_of_a_conclusion(outcome, level, bucket):
    assert bucket_of(outcome, level) == bucket


@pytest.mark.parametrize("outcome, level", [("refused", "compound"), (None, "compound"),
                                            ("settled", "moon")])
def test_not_a_conclusion_has_no_bucket(outcome, level):
    with pytest.raises(ValueError):
        bucket_of(outcome, level)


def test_unknown_buckets_are_refused():
    with pytest.raises(ValueError):
        three_shares({"province": 1})
