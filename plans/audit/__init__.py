"""The audit log's seals: the keyed, anchored chain, its key and its anchors.

:mod:`.chain` seals and checks entries (the store keeps them), :mod:`.keys` finds or makes the key
file outside the database, :mod:`.anchors` keeps the newest seal in a folder the database cannot reach.
"""
