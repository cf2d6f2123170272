"""The kiosk end to end with run_test() and a Pilot: every step, each language, and the lock-down."""

from __future__ import annotations

import gc
import weakref

import pytest

from kiosk_helpers import (
    wait_for_screen,
    EMILY,
    KENJI,
    SIZE,
    SITUATION,
    TODAY,
    WANG,
    ZHANG,
    FakeClock,
    fill_situation,
    identify,
    make_app,
    make_db,
    screen_text,
    start_at,
    to_plans,
)

from installment_tui.kiosk.screens.confirm import ConfirmScreen
from installment_tui.kiosk.screens.done import DoneScreen
from installment_tui.kiosk.screens.identify import IdentifyScreen
from installment_tui.kiosk.screens.owe import OweScreen
from installment_tui.kiosk.screens.plans import PlansScreen
from installment_tui.kiosk.screens.printing import PrintScreen
from installment_tui.kiosk.screens.situation import SituationScreen
from installment_tui.kiosk.screens.welcome import WelcomeScreen
from installment_tui.kiosk.steps import Step
from plans.store import Account, open_store


def accounts_alive(ref: str) -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, Account) and o.ref == ref)


@pytest.fixture
def db(tmp_path):
    return make_db(tmp_path / "kiosk.db")


@pytest.fixture
def spool(tmp_path):
    return tmp_path / "spool"


WORDS = {  # a few words each language must show at each step
    "zh_CN": (
        "确认您的身份",
        "您的欠款",
        "罚息",
        "您的情况",
        "选择还款方案",
        "核对并同意",
        "如果未按时还款",
        "您的回执",
        "您的信息已从本机清除",
    ),
    "zh_TW": (
        "確認您的身分",
        "您的欠款",
        "罰息",
        "您的情況",
        "選擇還款方案",
        "核對並同意",
        "如果未按時還款",
        "您的回執",
        "您的資料已從本機清除",
    ),
    "en": (
        "Tell us who you are",
        "What you owe",
        "Penalty interest",
        "Your situation",
        "Choose a plan",
        "Check and agree",
        "If you miss a payment",
        "Your receipt",
        "Your details have been cleared",
    ),
}
LANG_KEYS = {"zh_CN": "1", "zh_TW": "2", "en": "3"}


@pytest.mark.parametrize("lang", ["zh_CN", "zh_TW", "en"])
async def test_happy_path_in_each_language(db, spool, lang):
    app = make_app(db, spool)
    words = WORDS[lang]
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press(LANG_KEYS[lang])
        await wait_for_screen(app, pilot, IdentifyScreen)
        assert isinstance(app.screen, IdentifyScreen) and app.lang == lang
        assert words[0] in screen_text(app)
        # the paths a debtor types: real key presses into the reference field
        await pilot.press(*"DEMO-0001")
        assert app.screen.query_one("#ref").value == "DEMO-0001"
        app.screen.query_one("#last4").value = ZHANG[1]
        app.screen.query_one("#birth").value = ZHANG[2]
        await pilot.click("#continue")
        await wait_for_screen(app, pilot, OweScreen)
        assert isinstance(app.screen, OweScreen)
        text = screen_text(app)
        assert words[1] in text and words[2] in text
        # principal; the late fees every kiosk plan waives (not the policy's limit of half the penalty interest,
        # which no plan here waives)
        assert "48,650.00" in text and "640.00" in text and "946.70" not in text
        assert "张伟" not in text and "张*" in text  # the name is masked even to its owner
        await pilot.click("#next")
        await wait_for_screen(app, pilot, SituationScreen)
        assert isinstance(app.screen, SituationScreen)
        assert words[3] in screen_text(app)
        await fill_situation(app, pilot)
        assert isinstance(app.screen, PlansScreen)
        text = screen_text(app)
        assert words[4] in text
        offers = app.session.offers
        assert 1 <= len(offers) <= 4 and all(o.authority == "kiosk" and not o.violations for o in offers)
        app.screen.query_one("#choose-0").press()
        await wait_for_screen(app, pilot, ConfirmScreen)
        assert isinstance(app.screen, ConfirmScreen)
        text = screen_text(app)
        assert words[5] in text and words[6] in text
        accept = app.screen.query_one("#accept")
        accept.press()  # nothing is agreed before the explicit confirmation
        await wait_for_screen(app, pilot, ConfirmScreen)
        assert isinstance(app.screen, ConfirmScreen) and app.session.agreement_id is None
        app.screen.query_one("#agree").value = True
        await pilot.pause()
        chosen = app.session.chosen
        accept.press()
        await wait_for_screen(app, pilot, PrintScreen)
        assert isinstance(app.screen, PrintScreen)
        await app.screen.wait_printed()
        await pilot.pause()
        assert words[7] in screen_text(app)
        receipts = list(spool.glob("receipt-*.txt"))
        assert len(receipts) == 1 and not list(spool.glob(".tmp-*"))
        receipt = receipts[0].read_text(encoding="utf-8")
        assert "****0001" in receipt and "DEMO-0001" not in receipt
        visit = weakref.ref(app.session)
        print_screen = weakref.ref(app.screen)
        await pilot.click("#finish")
        await wait_for_screen(app, pilot, DoneScreen)
        assert isinstance(app.screen, DoneScreen) and app.session is None
        assert words[8] in screen_text(app)
        gc.collect()
        assert visit() is None and print_screen() is None  # the printing worker keeps nothing either
        await pilot.click("#home")
        await wait_for_screen(app, pilot, WelcomeScreen)
        assert isinstance(app.screen, WelcomeScreen)
    store = open_store(db)
    [agreement] = [a for a in store.agreements("DEMO-0001") if a.active]
    assert agreement.actor == "kiosk:test-01" and agreement.role == "kiosk"
    assert agreement.offer_id == chosen.id
    saved = store.get_offer(chosen.id)
    assert saved.status == "accepted" and saved.authority == "kiosk"
    actions = [(e.action, e.actor, e.role) for e in store.audit_log() if e.actor == "kiosk:test-01"]
    for action in (
        "kiosk.identified",
        "profile.create",
        "offer.create",
        "offer.accepted",
        "agreement.create",
        "kiosk.receipt_printed",
        "kiosk.visit_ended",
    ):
        assert (action, "kiosk:test-01", "kiosk") in actions, action
    store.close()


async def test_wrong_identification_never_says_which_part(db, spool):
    app = make_app(db, spool)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        messages = []
        for wrong in (
            ("DEMO-0001", "9999", ZHANG[2]),
            ("DEMO-0001", ZHANG[1], "1985-03-13"),
            ("DEMO-9999", ZHANG[1], ZHANG[2]),
        ):
            await identify(app, pilot, wrong)
            assert isinstance(app.screen, IdentifyScreen)
            messages.append(app.screen.query_one("#result").content)
            assert app.screen.query_one("#last4").value == "" and app.screen.query_one("#birth").value == ""
            for field in ("ref", "last4", "birth"):
                assert str(app.screen.query_one(f"#{field}-error").content) == ""
        # the same words whatever was wrong (only the count of tries left changes for one account)
        assert messages[0].replace("4", "N") == messages[1].replace("3", "N")
        assert "ID" not in messages[0] and "birth" not in messages[0].lower()
        assert messages[2].endswith("Tries left: 4.")  # an unknown account looks like any other
        # a badly formed answer is explained beside its field, and costs no try
        await identify(app, pilot, ("DEMO-0001", "12", "not a date"))
        assert "last 4" in str(app.screen.query_one("#last4-error").content)
        assert "birth date" in str(app.screen.query_one("#birth-error").content)
    store = open_store(db)
    failed = [e for e in store.audit_log() if e.action == "kiosk.identify_failed" and e.entity_id == "DEMO-0001"]
    assert len(failed) == 2
    store.close()


async def test_lockout_after_five_tries_survives_a_restart(db, spool):
    app = make_app(db, spool)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        for _ in range(5):
            await identify(app, pilot, ("DEMO-0005", "0000", WANG[2]))
        text = str(app.screen.query_one("#result").content)
        assert "locked" in text and "15 minutes" in text
        # now even the right answers are refused
        await identify(app, pilot, WANG)
        assert isinstance(app.screen, IdentifyScreen) and "locked" in str(app.screen.query_one("#result").content)
    app.store.close()
    again = make_app(db, spool)  # a new kiosk process on the same database
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await identify(again, pilot, WANG)
        assert isinstance(again.screen, IdentifyScreen)
        assert "locked" in str(again.screen.query_one("#result").content)
        assert again.session.account is None
    again.store.close()


async def test_idle_reset_with_visible_countdown_clears_everything(db, spool):
    clock = FakeClock()
    app = make_app(db, spool, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        gc.collect()
        before = accounts_alive("DEMO-0001")  # other tests' objects, if any
        await identify(app, pilot, ZHANG)
        assert isinstance(app.screen, OweScreen)
        clock.advance(100)
        app.tick()
        await pilot.pause()
        countdown = app.screen.query_one("#countdown")
        assert "20" in str(countdown.content) and countdown.has_class("warning")
        await pilot.press("down")  # any key counts as activity
        app.tick()
        await pilot.pause()
        assert "120" in str(app.screen.query_one("#countdown").content)
        session_ref = weakref.ref(app.session)
        assert accounts_alive("DEMO-0001") > before
        screen_ref = weakref.ref(app.screen)
        clock.advance(121)
        app.tick()
        await wait_for_screen(app, pilot, WelcomeScreen)
        assert isinstance(app.screen, WelcomeScreen)
        assert app.session is None and app.lang == "zh_CN"
        gc.collect()
        assert session_ref() is None and screen_ref() is None
        assert accounts_alive("DEMO-0001") <= before
        assert "DEMO-0001" not in screen_text(app) and "48,650" not in screen_text(app)
        # the welcome screen does not time out
        clock.advance(10_000)
        app.tick()
        await wait_for_screen(app, pilot, WelcomeScreen)
        assert isinstance(app.screen, WelcomeScreen)
    store = open_store(db)
    ended = [e.after for e in store.audit_log() if e.action == "kiosk.visit_ended"]
    assert ended == [{"reason": "idle"}]
    store.close()


async def test_start_over_forgets_the_debtor_and_the_next_one_starts_clean(db, spool):
    app = make_app(db, spool)
    async with app.run_test(size=SIZE) as pilot:
        await to_plans(app, pilot, ZHANG)
        assert isinstance(app.screen, PlansScreen)
        old = weakref.ref(app.session)
        offers = [weakref.ref(o) for o in app.session.offers]
        plans_screen = weakref.ref(app.screen)
        await pilot.click("#start-over")
        await wait_for_screen(app, pilot, WelcomeScreen)
        assert isinstance(app.screen, WelcomeScreen) and app.session is None
        gc.collect()
        assert old() is None and all(o() is None for o in offers) and plans_screen() is None
        await pilot.press("3")
        await pilot.pause()
        assert all(app.screen.query_one(f"#{f}").value == "" for f in ("ref", "last4", "birth"))
        await identify(app, pilot, EMILY)
        await pilot.click("#next")
        await pilot.pause()
        assert all(app.screen.query_one(f"#{k}").value == "" for k in ("income", "housing", "food"))
        assert "DEMO-0001" not in screen_text(app)


GLOBAL_KEYS = ("ctrl+q", "ctrl+c", "ctrl+p", "ctrl+z", "ctrl+s", "escape", "ctrl+backslash", "f1", "ctrl+v")


@pytest.mark.parametrize("step", ["welcome", "identify", "plans", "confirm"])
async def test_no_global_key_leaves_the_kiosk(db, spool, step):
    app = make_app(db, spool)
    async with app.run_test(size=SIZE) as pilot:
        if step != "welcome":
            await start_at(app, pilot, Step(step))
        screen = app.screen
        for key in GLOBAL_KEYS:
            await pilot.press(key)
            assert app.is_running and app.return_code is None, key
            assert app.screen is screen, key
            assert len(app.screen_stack) == 2, key  # no palette, help or other screen on top
        # tab and shift+tab only move between this screen's own controls
        seen = set()
        for key in ("tab",) * 9 + ("shift+tab",) * 9:
            await pilot.press(key)
            assert app.screen is screen and app.is_running
            if app.focused is not None:
                assert app.focused.screen is screen
                seen.add(app.focused.id)
        assert seen
    assert app.return_code is None or app.return_code == 0


async def test_account_in_another_currency_goes_to_an_agent(db, spool):
    clock = FakeClock()
    app = make_app(db, spool, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await identify(app, pilot, KENJI)
        assert isinstance(app.screen, OweScreen)
        assert "cannot make a plan" in screen_text(app)
        assert not app.screen.query("#next")
        await pilot.click("#agent")
        await pilot.pause()
        assert "Talk to an agent" in screen_text(app)
        await pilot.click("#finish")
        await wait_for_screen(app, pilot, DoneScreen)
        assert isinstance(app.screen, DoneScreen) and app.session is None
        assert "receipt" not in screen_text(app)  # nothing was printed on this visit
        clock.advance(10)
        app.tick()
        await pilot.pause()
        assert str(app.screen.query_one("#countdown").content) == "Back to the start in 5 s."
        clock.advance(5)
        app.tick()
        await wait_for_screen(app, pilot, WelcomeScreen)
        assert isinstance(app.screen, WelcomeScreen)  # the done screen goes back by itself


async def test_second_agreement_is_not_offered(db, spool):
    app = make_app(db, spool)
    async with app.run_test(size=SIZE) as pilot:
        await start_at(app, pilot, Step.DONE, who=WANG, answers=dict(SITUATION, savings="6000"))  # a plan agreed
        await pilot.click("#home")
        await wait_for_screen(app, pilot, WelcomeScreen)
        await pilot.press("3")
        await pilot.pause()
        await identify(app, pilot, WANG)
        # the plan as it stands, a statement to print, an agent to talk to: never a second plan
        assert "Your repayment plan" in screen_text(app) and "Your plan is on track." in screen_text(app)
        assert not app.screen.query("#next") and app.screen.query("#print")
    assert TODAY.year == 2026


async def test_markup_in_stored_names_is_shown_as_text(db, spool):
    from datetime import date

    from calc.debt import Debt

    store = open_store(db)
    store.upsert_accounts(
        [
            Account(
                "EVIL-0001",
                "CNY",
                Debt("CNY", principal=500000),
                name="[@click=app.quit]x",
                id_last4="1111",
                birth_date=date(1990, 1, 1),
            )
        ]
    )
    store.close()
    app = make_app(db, spool)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await identify(app, pilot, ("EVIL-0001", "1111", "1990-01-01"))
        assert isinstance(app.screen, OweScreen)
        assert "[****************" in screen_text(app)
        await pilot.click(".lead")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, OweScreen)


async def test_situation_examples_do_not_look_like_answers_and_back_keeps_what_was_typed(db, spool):
    from textual.widgets import Input

    app = make_app(db, spool)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await identify(app, pilot, ZHANG)
        app.screen.query_one("#next").press()
        await wait_for_screen(app, pilot, SituationScreen)
        assert isinstance(app.screen, SituationScreen)
        income = app.screen.query_one("#income", Input)
        assert income.value == "" and income.placeholder == "e.g. 8000"
        income.value = "10320"
        await pilot.pause()
        app.screen.query_one("#back").press()
        await wait_for_screen(app, pilot, OweScreen)
        assert isinstance(app.screen, OweScreen)
        app.screen.query_one("#next").press()
        await wait_for_screen(app, pilot, SituationScreen)
        assert app.screen.query_one("#income", Input).value == "10320"


async def test_income_after_recovery_sizes_the_step_plan_and_the_budget_shows_every_term(db, spool):
    from calc.errors import InvalidInputs

    app = make_app(db, spool)
    async with app.run_test(size=SIZE) as pilot:
        await start_at(app, pilot, Step.SITUATION)
        # an income once things are better makes no sense without knowing when
        with pytest.raises(InvalidInputs) as err:
            app.session.set_situation(dict(SITUATION, recovery="unknown"))
        assert [p.field for p in err.value.problems] == ["income_after"]
        await fill_situation(app, pilot)
        assert isinstance(app.screen, PlansScreen)
        text = screen_text(app)
        # today's budget and the one from the expected recovery, term by term
        assert (
            "Your budget a month: income CN¥10,320.00, minus essentials CN¥7,000.00, minus other lenders "
            "CN¥800.00, minus CN¥252.00 kept aside for the unexpected, leaves CN¥2,268.00 for a plan."
        ) in text
        assert "From June 1, 2027: Your budget a month: income CN¥14,000.00" in text
        offers = app.session.offers
        step = next(o for o in offers if o.kind == "step")
        assert step.verdict == "affordable" and step.assessment.budget_after.income == 1400000
        assert all(
            a <= step.assessment.budget_after.cap
            for d, a in zip(step.plan.dues, step.plan.amounts)
            if d >= step.case.profile.recovery_date
        )
        assert "Left each month" in text or "Short each month by" in text
