"""Kiosk configuration: a small TOML file (see ``examples/kiosk.toml``).

::

    [kiosk]
    id = "branch-01"            # recorded in the audit log as the actor "kiosk:branch-01"
    idle_timeout = 120          # seconds without a touch or key before the session resets
    db = "/var/lib/installment/installment.db"    # optional; --db wins
    policy = "/etc/installment/policy.toml"       # optional; --policy wins
    log_file = "/var/log/installment-kiosk.log"   # optional; personal data is masked
    busy_timeout = 5            # seconds a step waits for another writer before "temporarily unavailable"
    audit_key = "/etc/installment/audit.key"      # optional; else $INSTALLMENT_AUDIT_KEY (plans.audit.keys)
    audit_anchors = "/var/lib/installment/audit-anchors"   # optional (plans.audit.anchors)

    [printer]
    command = ["lp", "-d", "receipts", "-"]   # the receipt text is written to its standard input
    spool_dir = "/var/spool/installment-kiosk" # or: one file per receipt, written atomically
    receipt_width = 42                        # 32, 42 or 48 columns
    encoding = "utf-8"                        # e.g. "gb18030" for printers that want it
    timeout = 20                              # seconds the printer command may take

    [staff]
    pin_hash = "pbkdf2_sha256$600000$<salt hex>$<hash hex>"   # from `installment kiosk --hash-pin`

With neither ``command`` nor ``spool_dir``, receipts go to the folder
``kiosk-receipts`` beside the database file.  Without ``pin_hash`` there is no staff
exit: the kiosk then only stops when its process is stopped (e.g. by the service
manager).  A PIN is never stored in clear: :func:`hash_pin` makes a salted PBKDF2
hash (:mod:`plans.passwords`: 600,000 iterations, 16-byte salt; a weaker hash in the
file is refused) and :func:`verify_pin` compares in constant time.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass

from calc.errors import InvalidInput, Problems
from plans import passwords
from plans.summary import RECEIPT_WIDTHS

DEFAULT_IDLE_TIMEOUT = 120
MIN_IDLE_TIMEOUT = 15
MAX_IDLE_TIMEOUT = 3600
PIN_ITERATIONS = passwords.ITERATIONS

DEFAULT_BUSY_TIMEOUT = 5
MAX_BUSY_TIMEOUT = 30

_KNOWN = {
    "kiosk": ("id", "idle_timeout", "db", "policy", "log_file", "busy_timeout", "audit_key", "audit_anchors"),
    "printer": ("command", "spool_dir", "receipt_width", "encoding", "timeout"),
    "staff": ("pin_hash",),
}


@dataclass(frozen=True, slots=True)
class KioskConfig:
    kiosk_id: str = "kiosk"
    idle_timeout: int = DEFAULT_IDLE_TIMEOUT
    db: str | None = None
    policy: str | None = None
    log_file: str | None = None
    busy_timeout: int = DEFAULT_BUSY_TIMEOUT
    audit_key: str | None = None
    audit_anchors: str | None = None
    printer_command: tuple[str, ...] = ()
    spool_dir: str | None = None
    receipt_width: int = 42
    encoding: str = "utf-8"
    print_timeout: int = 20
    pin_hash: str | None = None

    @property
    def actor(self) -> str:
        """Who the audit log names for everything this kiosk does."""
        return f"kiosk:{self.kiosk_id}"

    @property
    def staff_exit(self) -> bool:
        return bool(self.pin_hash)


def parse_config(data: dict, source: str = "config") -> KioskConfig:
    """A :class:`KioskConfig` from parsed TOML; raises InvalidInputs naming every bad key."""
    problems = Problems()
    tables: dict[str, dict] = {}
    for table, value in data.items():
        if table not in _KNOWN:
            problems.add(table, f"unknown table in {source}; use {', '.join(f'[{k}]' for k in _KNOWN)}")
        elif not isinstance(value, dict):
            problems.add(table, f"must be a table [{table}]")
        else:
            tables[table] = value
            for key in value:
                if key not in _KNOWN[table]:
                    problems.add(f"{table}.{key}", f"unknown key; [{table}] knows {', '.join(_KNOWN[table])}")
    k, p, s = tables.get("kiosk", {}), tables.get("printer", {}), tables.get("staff", {})
    out: dict = {}

    def text(table: dict, key: str, name: str) -> str | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            problems.add(name, "must be non-empty text")
            return None
        return value.strip()

    def whole(table: dict, key: str, name: str, lo: int, hi: int) -> int | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            problems.add(name, f"must be a whole number from {lo} to {hi}, got {value!r}")
            return None
        return value

    kid = text(k, "id", "kiosk.id")
    if kid is not None:
        if len(kid) > 40 or not all(c.isalnum() or c in "-_." for c in kid):
            problems.add("kiosk.id", "use at most 40 letters, digits, '-', '_' or '.'")
        out["kiosk_id"] = kid
    idle = whole(k, "idle_timeout", "kiosk.idle_timeout", MIN_IDLE_TIMEOUT, MAX_IDLE_TIMEOUT)
    if idle is not None:
        out["idle_timeout"] = idle
    busy = whole(k, "busy_timeout", "kiosk.busy_timeout", 1, MAX_BUSY_TIMEOUT)
    if busy is not None:
        out["busy_timeout"] = busy
    for key in ("db", "policy", "log_file", "audit_key", "audit_anchors"):
        value = text(k, key, f"kiosk.{key}")
        if value is not None:
            out[key] = value
    command = p.get("command")
    if command is not None:
        if isinstance(command, str):
            command = command.split()
        if not isinstance(command, list) or not command or not all(isinstance(c, str) and c for c in command):
            problems.add("printer.command", 'must be a list of words such as ["lp", "-d", "receipts"]')
        else:
            out["printer_command"] = tuple(command)
    spool = text(p, "spool_dir", "printer.spool_dir")
    if spool is not None:
        out["spool_dir"] = spool
    if command is not None and spool is not None:
        problems.add("printer", "give either command or spool_dir, not both")
    width = p.get("receipt_width")
    if width is not None:
        if width not in RECEIPT_WIDTHS or isinstance(width, bool):
            problems.add(
                "printer.receipt_width", f"must be one of {', '.join(map(str, RECEIPT_WIDTHS))}, got {width!r}"
            )
        out["receipt_width"] = width
    enc = text(p, "encoding", "printer.encoding")
    if enc is not None:
        import codecs

        try:
            codecs.lookup(enc)
        except LookupError:
            problems.add("printer.encoding", f"unknown encoding {enc!r}; e.g. utf-8 or gb18030")
        out["encoding"] = enc
    timeout = whole(p, "timeout", "printer.timeout", 1, 300)
    if timeout is not None:
        out["print_timeout"] = timeout
    pin = text(s, "pin_hash", "staff.pin_hash")
    if pin is not None:
        with problems.check():
            _split_hash(pin)  # checks the form
        out["pin_hash"] = pin
    problems.raise_if_any()
    return KioskConfig(**out)


def load_config(path: str | os.PathLike | None) -> KioskConfig:
    """The configuration in ``path`` (defaults for everything when ``path`` is None)."""
    if path is None:
        return KioskConfig()
    from plans.input_limits import read_text, toml_document

    try:
        text = read_text(path, str(path), "config")
    except FileNotFoundError:
        raise InvalidInput(f"no such file: {path}", "config") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read {path}: {exc}", "config") from None
    try:
        data = toml_document(text, str(path), "config")
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{path} is not valid TOML: {exc}", "config") from None
    return parse_config(data, str(path))


# -- the staff PIN --------------------------------------------------------------------


def check_pin_text(pin: str) -> str:
    pin = pin.strip()
    if not (4 <= len(pin) <= 32) or not pin.isdigit() or not pin.isascii():
        raise InvalidInput("must be 4 to 32 digits", "pin")
    return pin


def hash_pin(pin: str, *, salt: bytes | None = None, iterations: int = PIN_ITERATIONS) -> str:
    """``pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>`` of ``pin`` (a fresh random salt by default)."""
    return passwords.hash_secret(check_pin_text(pin), salt=salt, iterations=iterations)


def _split_hash(stored: str) -> tuple[int, bytes, bytes]:
    """The parts of a configured PIN hash; weaker than 600,000 iterations or a 16-byte salt is refused."""
    try:
        return passwords.parse(stored, "staff.pin_hash")
    except InvalidInput as exc:
        raise InvalidInput(f"{exc.message} (make one with `installment kiosk --hash-pin`)", "staff.pin_hash") from None


def verify_pin(pin: str, stored: str | None) -> bool:
    """Whether ``pin`` matches the stored hash (always False without one)."""
    return passwords.verify(pin.strip(), stored)
