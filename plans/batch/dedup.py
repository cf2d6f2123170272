"""Which account references the run has seen: the one piece of state that grows with the input.

``add(refs)`` (of SetRefs or CompactRefs; ``ref_set()`` picks one) adds a chunk's references in order and returns the
positions of those seen before (in an earlier chunk or earlier in the same
list): those rows are duplicates.  A Python set costs about 100 bytes a
reference (some 100 MB for a million); with numpy the references are kept
as UTF-8 text in one buffer, indexed by sorted arrays of their hashes (about
35 bytes a reference).  A hash match is always confirmed by comparing the
text, so the answer is exact either way.
"""

from __future__ import annotations


class SetRefs:
    """The plain version: a Python set."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def add(self, refs: list[str]) -> list[int]:
        fresh = set(refs)
        if len(fresh) == len(refs) and self.seen.isdisjoint(fresh):
            self.seen |= fresh
            return []
        dropped = []
        for i, ref in enumerate(refs):
            if ref in self.seen:
                dropped.append(i)
            else:
                self.seen.add(ref)
        return dropped


class CompactRefs:
    """References as text in one buffer, found through sorted hash arrays (merged like a binary counter)."""

    MERGE_LIMIT = 1 << 18

    def __init__(self, hash_function=hash) -> None:
        import numpy as np

        self.np = np
        self.hash = hash_function  # tests pass a poor one to force collisions
        self.text = bytearray()
        self.levels: list[tuple] = []  # (hashes sorted, start offsets, lengths), larger first

    def _exists(self, h: int, data: bytes) -> bool:
        np = self.np
        for hashes, starts, lengths in self.levels:
            lo = int(np.searchsorted(hashes, h, side="left"))
            hi = int(np.searchsorted(hashes, h, side="right"))
            for j in range(lo, hi):
                start = int(starts[j])
                if self.text[start : start + int(lengths[j])] == data:
                    return True
        return False

    def add(self, refs: list[str]) -> list[int]:
        np = self.np
        n = len(refs)
        if not n:
            return []
        h = np.fromiter(map(self.hash, refs), dtype=np.int64, count=n)
        order = np.argsort(h, kind="stable")
        sorted_h = h[order]
        maybe = np.zeros(n, dtype=bool)
        for hashes, _, _ in self.levels:
            # sorted needles: each search starts where the last one ended (far fewer cache misses)
            pos = np.minimum(np.searchsorted(hashes, sorted_h), len(hashes) - 1)
            maybe[order] |= hashes[pos] == sorted_h
        repeats = bool((sorted_h[1:] == sorted_h[:-1]).any())
        data = [r.encode() for r in refs]
        dropped: list[int] = []
        if maybe.any() or repeats:
            here: set[bytes] = set()
            keep = []
            for i in range(n):
                if data[i] in here or (maybe[i] and self._exists(int(h[i]), data[i])):
                    dropped.append(i)
                else:
                    here.add(data[i])
                    keep.append(i)
            if dropped:
                h = h[keep]
                data = [data[i] for i in keep]
                order = np.argsort(h, kind="stable")
        if not data:
            return dropped
        lengths = np.fromiter(map(len, data), dtype=np.uint16, count=len(data))  # at most 64 characters
        starts = len(self.text) + np.cumsum(lengths, dtype=np.int64) - lengths
        if len(self.text) + int(lengths.sum()) < 2**32:  # offsets fit in 4 bytes until the text reaches 4 GiB
            starts = starts.astype(np.uint32)
        self.text += b"".join(data)
        self.levels.append((h[order], starts[order], lengths[order]))
        # merge equal-sized levels, up to a size where merging would cost more memory than lookups cost time
        while (
            len(self.levels) > 1
            and len(self.levels[-1][0]) >= len(self.levels[-2][0])
            and len(self.levels[-2][0]) < self.MERGE_LIMIT
        ):
            (h1, s1, l1), (h2, s2, l2) = self.levels.pop(), self.levels.pop()
            hashes = np.concatenate([h2, h1])
            order = np.argsort(hashes, kind="stable")
            starts = np.concatenate([s2, s1])  # uint32 and int64 levels merge to int64
            self.levels.append((hashes[order], starts[order], np.concatenate([l2, l1])[order]))
        return dropped


def ref_set():
    """The compact set when numpy is there, else the plain one."""
    try:
        return CompactRefs()
    except ImportError:
        return SetRefs()
