"""Users of the agent console: names, roles (agent or supervisor) and password hashes.

Authority comes from a user who signed in (:meth:`UserAccounts.authenticate`), not
from a command-line flag: the console opens the store as that user, so every audit
entry names who was authenticated and in which role.  Passwords are stored only as
salted PBKDF2-SHA256 hashes of 600,000 iterations (:mod:`plans.passwords`), computed
outside any database transaction.

The first user can be added freely; once an active supervisor exists, adding a user,
changing a password or disabling a user needs a supervisor who signed in
(``authorized_by``).  Sign-ins and failed sign-ins are audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from calc.errors import InvalidInput

from plans import passwords

from .audit_log import AuditLog
from .records import NotAllowed, NotFound

USER_ROLES = ("agent", "supervisor")
MIN_PASSWORD = 8
MAX_PASSWORD = 128
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,39}$")


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: str
    active: bool = True
    created_at: str = ""
    created_by: str = ""


def check_name(name: str) -> str:
    name = str(name).strip()
    if not _NAME.match(name):
        raise InvalidInput(
            f"use 1 to 40 letters, digits, '.', '_', '@' or '-', starting with a letter or digit, got {name!r}", "name"
        )
    return name


def check_password(password: str) -> str:
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInput(f"must be {MIN_PASSWORD} to {MAX_PASSWORD} characters", "password")
    if not password.strip() or not password.isprintable():
        raise InvalidInput("must be printable characters, not only spaces", "password")
    return password


def _user(row: dict) -> User:
    return User(row["name"], row["role"], bool(row["active"]), row["created_at"], row["created_by"])


class UserAccounts(AuditLog):
    """Users and sign-in (mixed into :class:`plans.store.Store`)."""

    def users(self) -> list[User]:
        with self.backend.read() as tx:
            return [_user(r) for r in tx.users()]

    def _authorize(self, tx, authorized_by: User | None) -> None:
        if not tx.has_supervisor():
            return
        if authorized_by is None or authorized_by.role != "supervisor":
            raise NotAllowed("a supervisor must sign in to manage users once one exists", "supervisor")
        row = tx.get_user(authorized_by.name)
        if row is None or not row["active"] or row["role"] != "supervisor":
            raise NotAllowed(f"{authorized_by.name!r} is not an active supervisor", "supervisor")

    def add_user(
        self,
        name: str,
        role: str,
        password: str,
        *,
        authorized_by: User | None = None,
        iterations: int = passwords.ITERATIONS,
    ) -> User:
        """A new user; ``iterations`` below 600,000 are refused."""
        name = check_name(name)
        if role not in USER_ROLES:
            raise InvalidInput(f"must be {' or '.join(USER_ROLES)}, got {role!r}", "role")
        stored = passwords.hash_secret(check_password(password), iterations=max(iterations, passwords.ITERATIONS))
        now = self._now()
        with self._write() as tx:
            self._authorize(tx, authorized_by)
            if tx.get_user(name) is not None:
                raise InvalidInput(f"a user {name!r} already exists", "name")
            tx.insert_user(name, role, stored, now, self.actor)
            self._audit(tx, now, "user.create", "user", name, None, {"role": role})
        return User(name, role, True, now, self.actor)

    def set_password(self, name: str, password: str, *, authorized_by: User | None = None) -> None:
        stored = passwords.hash_secret(check_password(password))
        now = self._now()
        with self._write() as tx:
            self._authorize(tx, authorized_by)
            if tx.get_user(name) is None:
                raise NotFound(f"no user {name!r}", "name")
            tx.update_user(name, now, password=stored)
            self._audit(tx, now, "user.password", "user", name, None, None)

    def set_active(self, name: str, active: bool, *, authorized_by: User | None = None) -> None:
        now = self._now()
        with self._write() as tx:
            row = tx.get_user(name)
            if row is None:
                raise NotFound(f"no user {name!r}", "name")
            self._authorize(tx, authorized_by)
            tx.update_user(name, now, active=int(active))
            self._audit(
                tx,
                now,
                "user.enable" if active else "user.disable",
                "user",
                name,
                {"active": bool(row["active"])},
                {"active": active},
            )

    def demo_users(self) -> list[str]:
        """The demo users' names when ``installment demo-data`` made them (empty otherwise)."""
        if self.backend.schema_version < 5:
            return []
        with self.backend.read() as tx:
            names = tx.meta().get("demo_users") or ""
            known = {r["name"] for r in tx.users() if r["active"]}
        return [n for n in names.split(",") if n in known]

    def mark_demo_users(self, names: list[str]) -> None:
        with self._write() as tx:
            tx.set_meta("demo_users", ",".join(names))

    def authenticate(self, name: str, password: str, where: str = "console") -> User:
        """The user ``name`` if ``password`` is theirs (and they are active); NotAllowed otherwise,
        without saying which part was wrong.  Both outcomes are audited."""
        with self.backend.read() as tx:
            row = tx.get_user(str(name).strip())
        # a hash is always computed, so a wrong name takes as long as a wrong password
        ok = passwords.verify(password, row["password"] if row else _dummy())
        ok = ok and row is not None and bool(row["active"])
        now = self._now()
        with self._write() as tx:
            self._audit(
                tx,
                now,
                "user.sign_in" if ok else "user.sign_in_failed",
                "user",
                str(name).strip()[:40] or "-",
                None,
                {"where": where},
            )
        if not ok:
            raise NotAllowed("wrong name or password", "password")
        return _user(row)


@lru_cache(maxsize=1)
def _dummy() -> str:
    return passwords.hash_secret("not a password", salt=b"\0" * passwords.SALT_BYTES)


__all__ = ["MIN_PASSWORD", "USER_ROLES", "User", "UserAccounts", "check_name", "check_password"]
