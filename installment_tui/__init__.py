"""Interface layer: the `installment` command line, the agent console and the kiosk (Textual)."""
