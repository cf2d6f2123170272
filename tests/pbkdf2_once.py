"""The test processes compute each PBKDF2 hash once: the same password, salt and iterations give the same
bytes every time (PBKDF2 is a pure function), so :func:`install` remembers them for the test process.

A hash of 600,000 iterations (``plans.passwords``) takes about 0.2 s of CPU, and the suite computed 165 of
them, about 8 % of its CPU; most were the same sign-in again: the same user of a database copied from one
template (``db_templates``), the same supervisor for each override.  A new password still gets a new random
salt, so it is still hashed in full; the commands the tests start (other processes) hash as users' do.
What is checked is unchanged: the stored hash, its iterations and salt, and that a wrong password or name
is refused.  Only how long a repeated sign-in takes in a test process changes, which no test measures.
"""

from __future__ import annotations

import functools
import hashlib


def install() -> None:
    if not hasattr(hashlib.pbkdf2_hmac, "cache_info"):
        hashlib.pbkdf2_hmac = functools.lru_cache(maxsize=1024)(hashlib.pbkdf2_hmac)
