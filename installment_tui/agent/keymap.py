"""User key maps for the agent console, from a TOML file.

The file is ``$XDG_CONFIG_HOME/installment/keymap.toml`` (``~/.config/...`` when
``XDG_CONFIG_HOME`` is unset) or the one given with ``--keymap``.  It maps binding
ids to keys (several keys separated by commas), at the top level or under a
``[keymap]`` table::

    [keymap]
    "agent.save" = "ctrl+s,f1"
    "agent.contact" = "ctrl+b"

Binding ids are listed in the README ("Agent console").  A missing file is no
keymap; a broken file or an unknown id gives warnings the console shows, never an
error that stops it.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path


def default_keymap_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "installment" / "keymap.toml"


def load_keymap(path: str | os.PathLike | None, known_ids: set[str]) -> tuple[dict[str, str], list[str]]:
    """``(keymap, warnings)`` from ``path`` (default: :func:`default_keymap_path`)."""
    from plans.input_limits import LimitError, read_text, toml_document

    p = Path(path) if path else default_keymap_path()
    try:
        data = toml_document(read_text(p, "the key map", "keymap"), "the key map", "keymap")
    except FileNotFoundError:
        return {}, ([f"keymap {p}: no such file"] if path else [])
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [f"keymap {p}: cannot read it ({exc})"]
    except tomllib.TOMLDecodeError as exc:
        return {}, [f"keymap {p}: not valid TOML ({exc})"]
    except LimitError as exc:
        return {}, [f"keymap {p}: {exc.message}"]
    table = data.get("keymap", data)
    keymap: dict[str, str] = {}
    warnings: list[str] = []
    if not isinstance(table, dict):
        return {}, [f"keymap {p}: [keymap] must be a table of binding id = keys"]
    for binding_id, keys in table.items():
        if binding_id not in known_ids:
            warnings.append(f"keymap {p}: unknown binding id {binding_id!r}")
        elif not isinstance(keys, str) or not keys.strip():
            warnings.append(f'keymap {p}: {binding_id} must be keys as text, e.g. "ctrl+s"')
        else:
            keymap[binding_id] = keys.replace(" ", "")
    return keymap, warnings
