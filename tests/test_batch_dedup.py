"""Duplicate account references: the compact set answers exactly like a Python set."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from plans.batch.dedup import CompactRefs, SetRefs


def run(refs_set, chunks):
    return [refs_set.add(chunk) for chunk in chunks]


refs = st.lists(st.lists(st.text(alphabet="ab长", min_size=0, max_size=3), max_size=12), max_size=12)


@settings(max_examples=300, deadline=None)
@given(refs)
def test_compact_equals_set(chunks):
    assert run(CompactRefs(), chunks) == run(SetRefs(), chunks)


@settings(max_examples=300, deadline=None)
@given(refs)
def test_compact_is_exact_when_hashes_collide(chunks):
    assert run(CompactRefs(hash_function=len), chunks) == run(SetRefs(), chunks)


def test_many_chunks_merge_levels():
    rng = random.Random(3)
    chunks = [[f"R{rng.randint(0, 30000)}" for _ in range(500)] for _ in range(80)]
    compact = CompactRefs()
    assert run(compact, chunks) == run(SetRefs(), chunks)
    assert len(compact.levels) <= 8  # merged like a binary counter
