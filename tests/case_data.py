"""The documented case file (README and docs), shared by the case, offer and negotiation tests."""

EXAMPLE = {
    "currency": "CNY",
    "start": "2025-12-01",
    "account": {"ref": "CC-0001", "name": "王小明", "region": "beijing"},
    "debt": {
        "principal": "48000.00",
        "interest": "3200.00",
        "penalty_interest": "1500.00",
        "late_fees": "600.00",
        "annual_fees": "0",
        "other_fees": "0",
    },
    "profile": {
        "adults": 2,
        "children": 1,
        "region": "beijing",
        "income": {"salary": "9000.00", "other": "500.00"},
        "spending": {
            "housing": "2500.00",
            "utilities": "300.00",
            "food": "2200.00",
            "transport": "400.00",
            "medical": "300.00",
            "education": "500.00",
            "childcare": "0",
            "other": "300.00",
        },
        "other_debt_payments": "1200.00",
        "savings": "3000.00",
        "hardship_reason": "illness",
        "recovery_date": "2026-06-01",
    },
}
