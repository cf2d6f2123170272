"""Step 1: welcome, in all three languages, and the choice of language that starts a visit."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Button, Static

from installment_tui.i18n import ui_translator

from ..steps import Step
from .base import KioskScreen

LANG_BUTTONS = (("zh_CN", "简体中文"), ("zh_TW", "繁體中文"), ("en", "English"))


class WelcomeScreen(KioskScreen):
    TIMED = False
    BINDINGS = [
        Binding("1", "start('zh_CN')", show=False, id="kiosk.lang-zh-cn"),
        Binding("2", "start('zh_TW')", show=False, id="kiosk.lang-zh-tw"),
        Binding("3", "start('en')", show=False, id="kiosk.lang-en"),
        Binding("f12", "staff", show=False, id="kiosk.staff"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="body welcome"):
            for lang, _ in LANG_BUTTONS:
                t = ui_translator("kiosk", lang)
                yield Static(t("Welcome"), classes="title")
                yield Static(
                    t("Set up a repayment plan for your overdue debt, on your own, in a few minutes."), classes="lead"
                )
            yield Static("请选择语言 · 請選擇語言 · Choose your language", classes="prompt")
            with Center():
                with Horizontal(classes="langs"):
                    for n, (lang, label) in enumerate(LANG_BUTTONS, 1):
                        yield Button(f"{n}  {label}", id=f"lang-{lang}", classes="big lang")
        with Horizontal(classes="footer"):
            yield Static("", classes="spacer")
            yield Button("Staff · 工作人员", id="staff", classes="staff")

    @on(Button.Pressed, ".lang")
    def _lang(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_start((event.button.id or "").removeprefix("lang-"))

    @on(Button.Pressed, "#staff")
    def _staff(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_staff()

    def action_start(self, lang: str) -> None:
        self.kiosk.start_visit(lang)

    def action_staff(self) -> None:
        self.kiosk.goto(Step.STAFF)
