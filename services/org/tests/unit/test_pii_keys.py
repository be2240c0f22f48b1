"""ID-number ciphertexts are bound to their person and carry their key's version (issue 7,
point 11): a ciphertext moved to another person's row does not decrypt, and keys rotate
(``ORG_PII_KEY`` holds the current key first, then older ones, as ``version:base64``)."""
import base64

import pytest

from fazhi_shared.config import ConfigError
from fazhi_shared.errors import Conflict

from org import identity
from org.config import PII_KEY

K1 = base64.b64encode(b"1" * 32).decode()
K2 = base64.b64encode(b"2" * 32).decode()
NUMBER = "11010519491231002X"


def test_a_ciphertext_is_bound_to_its_person(monkeypatch):
    monkeypatch.setenv("ORG_PII_KEY", f"1:{K1}")
    blob = identity.encrypt(NUMBER, "person-a")
    assert identity.decrypt(blob, "person-a") == NUMBER
    with pytest.raises(Conflict) as info:
        identity.decrypt(bytes(blob), "person-b")
    assert "person-b" not in info.value.message_zh          # says what, not whose number
    assert NUMBER not in str(info.value.args)


def test_the_key_version_travels_with_the_ciphertext(monkeypatch):
    monkeypatch.setenv("ORG_PII_KEY", f"1:{K1}")
    old = identity.encrypt(NUMBER, "p")
    assert old[0] == 1
    monkeypatch.setenv("ORG_PII_KEY", f"2:{K2},1:{K1}")   # rotated: 2 is current
    new = identity.encrypt(NUMBER, "p")
    assert new[0] == 2 and identity.key_version(new) == 2
    assert identity.decrypt(bytes(old), "p") == identity.decrypt(bytes(new), "p") == NUMBER
    monkeypatch.setenv("ORG_PII_KEY", f"2:{K2}")            # 1 retired
    with pytest.raises(Conflict):
        identity.decrypt(bytes(old), "p")


def test_a_plain_key_is_version_1(monkeypatch):
    monkeypatch.setenv("ORG_PII_KEY", K1)
    blob = identity.encrypt(NUMBER, "p")
    monkeypatch.setenv("ORG_PII_KEY", f"2:{K2},1:{K1}")
    assert blob[0] == 1 and identity.decrypt(bytes(blob), "p") == NUMBER


@pytest.mark.parametrize("raw", [
    "not-base64!", base64.b64encode(b"short").decode(), f"1:{K1},1:{K2}", f"0:{K1}",
    f"256:{K1}", f"x:{K1}", f"{K1},{K2}"])
def test_bad_key_settings_stop_the_process_at_start(monkeypatch, raw):
    monkeypatch.setenv("ORG_PII_KEY", raw)
    with pytest.raises(ConfigError):
        PII_KEY.get()
