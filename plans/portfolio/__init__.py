"""Portfolio files: one account per row, CSV or JSON Lines, read as a stream.

:mod:`.reader` opens a file and yields rows (used by ``installment batch`` and ``installment
import``); :mod:`.rows` holds the columns and turns one row into a ``PortfolioRow`` or a ``Reject``.
"""
