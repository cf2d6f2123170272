"""Salted password hashes: users' passwords and the kiosk's staff PIN.

A secret is never stored: only ``pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>``,
PBKDF2-HMAC-SHA256 with a 16-byte random salt and :data:`ITERATIONS` (600,000,
what OWASP asks of PBKDF2-SHA256 since 2023) iterations; checking one takes about
0.15 s on a 2-core machine, so guessing is slow.  :func:`parse` refuses a weaker
stored hash (fewer iterations, a shorter salt) where a configuration is read;
:func:`verify` compares in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from calc.errors import InvalidInput

SCHEME = "pbkdf2_sha256"
ITERATIONS = 600_000
SALT_BYTES = 16


def hash_secret(secret: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    """The stored form of ``secret`` (a fresh random salt by default)."""
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", secret.encode("utf-8"), salt, iterations)
    return f"{SCHEME}${iterations}${salt.hex()}${digest.hex()}"


def parse(
    stored: str, field: str, *, min_iterations: int = ITERATIONS, min_salt: int = SALT_BYTES
) -> tuple[int, bytes, bytes]:
    """``(iterations, salt, digest)`` of a stored hash; InvalidInput naming ``field`` when it is
    malformed or weaker than ``min_iterations`` iterations and a ``min_salt``-byte salt."""
    parts = str(stored).split("$")
    try:
        if len(parts) != 4 or parts[0] != SCHEME:
            raise ValueError
        iterations = int(parts[1])
        salt, digest = bytes.fromhex(parts[2]), bytes.fromhex(parts[3])
        if iterations < 1 or not salt or len(digest) != 32:
            raise ValueError
    except ValueError:
        raise InvalidInput(f"must look like {SCHEME}$<iterations>$<salt hex>$<hash hex>", field) from None
    if iterations < min_iterations:
        raise InvalidInput(
            f"{iterations:,} iterations is too weak; at least {min_iterations:,} are needed (make a new hash)", field
        )
    if len(salt) < min_salt:
        raise InvalidInput(
            f"a {len(salt)}-byte salt is too short; at least {min_salt} bytes are needed (make a new hash)", field
        )
    return iterations, salt, digest


def verify(secret: str, stored: str | None) -> bool:
    """Whether ``secret`` matches ``stored`` (False without one, or for a malformed one)."""
    if not stored:
        return False
    try:
        iterations, salt, digest = parse(stored, "hash", min_iterations=1, min_salt=1)
    except InvalidInput:
        return False
    given = hashlib.pbkdf2_hmac("sha256", secret.encode("utf-8"), salt, iterations)
    return hmac.compare_digest(given, digest)


__all__ = ["ITERATIONS", "SALT_BYTES", "SCHEME", "hash_secret", "parse", "verify"]
