"""Domain layer: policy, offers and negotiation, store, summaries and i18n, batch export.

Never imports Textual (checked by tests/test_layering.py and import-linter).
"""
