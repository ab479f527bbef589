"""Home: cards in words and icons, a chart screen readers can read, and buttons to the details."""

import threading

from arrs_desk.services.dashboard import DashboardService
from arrs_desk.ui.home import home_page
from arrs_desk.ui.home.home_page import AttentionCard, HomePage
from tests.support.qt import open_page


def test_home_shows_each_figure_and_opens_its_page(main_window, qtbot, no_dialogs):
    main_window.show_page("Home")
    page = main_window.page("Home")
    assert isinstance(page, HomePage)
    qtbot.waitUntil(lambda: page.dashboard is not None and page.dashboard.complete)
    cards = page.findChildren(AttentionCard)
    assert {card.item.key for card in cards} >= {"induction-overdue", "training", "supervision"}
    supervision = next(card for card in cards if card.item.key == "supervision")
    assert supervision.count_label.text() == str(supervision.item.count)
    assert "Needs action" in supervision.accessibleName()
    assert "Supervision needing action: " in page.chart.accessibleDescription()
    supervision.button.click()
    assert main_window.pages.currentWidget() is main_window.page("Supervision")


def test_chart_draws_a_row_per_figure(qtbot, main_window):
    main_window.show_page("Home")
    page = main_window.page("Home")
    qtbot.waitUntil(lambda: page.dashboard is not None and page.dashboard.complete)
    image = page.chart.grab().toImage()
    assert not image.isNull() and image.height() >= len(page.dashboard.items) * page.chart.fontMetrics().height()


def test_a_new_pcns_home_says_what_to_do_first(qtbot, workspace, system_actor, ui_settings, no_dialogs):
    """The first administrator of an empty database was told "Nothing needs your attention": Home now
    numbers the first steps, each with a way to do it, until someone is on the staff list."""
    from arrs_desk.ui.home.home_page import FirstStepCard
    from arrs_desk.ui.shell.main_window import MainWindow
    from tests.conftest import TODAY
    from tests.support.pcn import build_small_pcn, staff_input

    admin = workspace.accounts.create_first_administrator(
        username="helen.whitfield", display_name="Helen Whitfield", password="riverside-moorland-demo")
    window = MainWindow(settings=ui_settings, workspace=workspace, actor=admin)
    qtbot.addWidget(window)
    window.show()
    window.show_page("Home")
    page = window.page("Home")
    qtbot.waitUntil(lambda: page.dashboard is not None and page.dashboard.complete)
    steps = page.findChildren(FirstStepCard)
    assert [card.step.key for card in steps] == ["setup", "staff", "link-account"]
    assert "Nothing needs your attention" not in page.summary.text() and "No one is on the staff list" in page.summary.text()
    assert [b.text() for b in steps[1].buttons] == ["New staff member…", "Import staff…"]
    assert steps[0].accessibleName().startswith("Step 1: Set up your practices")
    steps[0].buttons[0].click()
    assert window.pages.currentWidget() is window.page("Practices and employers")

    pcn = build_small_pcn(workspace, admin)
    workspace.staff.create(admin, data=staff_input(pcn.practice_ids, given="Zoë", family="Okubo", start=TODAY))
    page.dashboard = None
    window.show_page("Home")
    qtbot.waitUntil(lambda: page.dashboard is not None and page.dashboard.complete)
    assert page.dashboard.first_steps == () and "No one is on the staff list" not in page.summary.text()
    assert not no_dialogs


def test_a_card_about_something_open_now_does_not_say_it_is_coming_up(qtbot):
    """An open check-in ("open until 06/01/2027") was headed "Coming up", as if not yet begun."""
    from arrs_desk.services.dashboard import AttentionItem

    item = AttentionItem("my-checkin", "My check-in is open", 1, "your 48-month check-in, open until 06/01/2027",
                         "warn", "My check-ins")
    card = AttentionCard(item, True, lambda _item: None)
    qtbot.addWidget(card)
    assert "Coming up" not in card.accessibleName() and "Due soon, your 48-month" in card.accessibleName()


def _slowed_attention(monkeypatch) -> threading.Event:
    """Every card's read held back until the event is set (as at 5,000 staff, where the PCN-wide
    cards take most of it); the first cards' read is not."""
    release = threading.Event()
    original = DashboardService.attention
    monkeypatch.setattr(DashboardService, "attention", lambda self, actor: release.wait(10) and original(self, actor))
    return release


def test_a_slow_home_shows_the_first_cards_then_every_card_in_the_same_order(main_window, qtbot, monkeypatch):
    release = _slowed_attention(monkeypatch)
    main_window.show_page("Home")
    page = main_window.page("Home")
    qtbot.waitUntil(lambda: page.dashboard is not None, timeout=5000)
    first = page.dashboard
    assert not first.complete and page.loader.loading and not page.loader.bar.isHidden()  # busy, and says so
    assert "Still working out mandatory training, supervision, reviews" in page.summary.text()
    assert page.chart.isHidden()  # bars are drawn to the scale of every card, so only once all have come
    keys = [card.item.key for card in page.findChildren(AttentionCard)]
    assert "induction-overdue" in keys and "supervision" not in keys and "reviews" not in keys
    release.set()
    qtbot.waitUntil(lambda: page.dashboard.complete and not page.loader.loading, timeout=10000)
    every = [item.key for item in page.dashboard.items]
    assert every[:len(first.items)] == [item.key for item in first.items]  # the first cards keep their places
    assert {"supervision", "reviews", "mandatory-training"} <= set(every)
    assert not page.chart.isHidden() and page.loader.bar.isHidden() and "Still working" not in page.summary.text()


def test_home_waits_for_every_card_before_showing_the_first_ones(main_window, qtbot, monkeypatch):
    """Every card comes within the wait (a PCN of a hundred staff): Home is drawn once, not twice."""
    monkeypatch.setattr(home_page, "BUSY_AFTER_MS", 60_000)
    release = _slowed_attention(monkeypatch)
    shown = []
    page_class_show = HomePage.show_dashboard
    monkeypatch.setattr(HomePage, "show_dashboard", lambda self, d: shown.append(d.complete) or page_class_show(self, d))
    main_window.show_page("Home")
    page = main_window.page("Home")
    qtbot.wait(300)
    assert page.dashboard is None and page.loader.loading
    release.set()
    qtbot.waitUntil(lambda: page.dashboard is not None and not page.loader.loading, timeout=10000)
    assert shown == [True]


def test_someone_else_signing_in_is_shown_their_own_first_cards_at_once(qtbot, demo_workspace, demo_people,
                                                                          monkeypatch):
    """At a shared PC the next person's Home is covered until their cards come: their first cards
    are shown as soon as they are read, never the last person's while the rest is worked out."""
    helen, zoe = demo_people["helen.whitfield"], demo_people["zoe.okubo"]
    page = open_page(qtbot, HomePage(), demo_workspace, helen)
    qtbot.waitUntil(lambda: page.dashboard is not None and page.dashboard.complete, timeout=10000)
    monkeypatch.setattr(home_page, "BUSY_AFTER_MS", 60_000)  # Home would wait this long over its own cards
    release = _slowed_attention(monkeypatch)
    page.set_context(demo_workspace, zoe)
    assert page.loader.concealed  # Helen's cards are covered
    page.refresh()
    qtbot.waitUntil(lambda: page.dashboard.greeting == "Hello Zoë", timeout=5000)
    assert not page.dashboard.complete and not page.loader.concealed and page.loader.loading
    assert [card.item for card in page._cards] == list(page.dashboard.items)
    assert "induction-overdue" not in {item.key for item in page.dashboard.items}  # Helen's team's card
    release.set()
    qtbot.waitUntil(lambda: page.dashboard.complete and not page.loader.loading, timeout=10000)
    assert page.dashboard == DashboardService(demo_workspace).attention(zoe)
