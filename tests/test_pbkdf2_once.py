"""tests/pbkdf2_once.py keeps its promises: the remembered hash is the hash, and a sign-in checked again in
a test process is not hashed again (a change to how ``plans.passwords`` calls PBKDF2 would silently hash
every sign-in in full again)."""

from __future__ import annotations

import hashlib

from plans import passwords


def test_a_remembered_hash_is_the_hash_and_a_repeated_check_is_not_hashed_again():
    compute = hashlib.pbkdf2_hmac.__wrapped__  # installed by conftest.py for the whole test process
    stored = passwords.hash_secret("correct horse", iterations=1000)
    _, salt, digest = passwords.parse(stored, "hash", min_iterations=1, min_salt=1)
    assert compute("sha256", b"correct horse", salt, 1000) == digest
    before = hashlib.pbkdf2_hmac.cache_info()
    assert passwords.verify("correct horse", stored) and passwords.verify("correct horse", stored)
    assert not passwords.verify("wrong horse", stored)
    after = hashlib.pbkdf2_hmac.cache_info()
    assert after.hits - before.hits >= 1 and after.misses - before.misses == 1  # the wrong one only
