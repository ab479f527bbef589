"""Home: cards in words and icons, a chart screen readers can read, and buttons to the details."""

from arrs_desk.ui.home.home_page import AttentionCard, HomePage


def test_home_shows_each_figure_and_opens_its_page(main_window, qtbot, no_dialogs):
    main_window.show_page("Home")
    page = main_window.page("Home")
    assert isinstance(page, HomePage)
    qtbot.waitUntil(lambda: page.dashboard is not None)
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
    qtbot.waitUntil(lambda: page.dashboard is not None)
    image = page.chart.grab().toImage()
    assert not image.isNull() and image.height() >= len(page.dashboard.items) * page.chart.fontMetrics().height()
