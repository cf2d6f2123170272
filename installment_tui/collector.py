"""How often the consoles' garbage collector runs.

Opening a screen of the agent console or the kiosk makes tens of thousands of short-lived objects
(styles, strips, segments, messages).  At Python's default thresholds (700, 10, 10) the collector runs
hundreds of times while one screen opens, and each older collection walks again every object that lives
as long as the process: the imported modules, the store, the policy, the app.  Freezing those and
collecting young objects less often takes about a quarter off the CPU of opening an account, its
profile and going back (``bench/bench_agent.py``); cyclic garbage is still collected.
"""

from __future__ import annotations

import gc

#: Allocations between two young collections (Python's default is 700), then how many young collections
#: make a middle one and how many middle ones an old one.
THRESHOLDS = (10_000, 50, 50)


def pace_for_console() -> None:
    """Freeze what is alive now (it lives as long as the process) and collect young objects less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
