"""Home's new cards open what they are about: programmes behind (the Behind list, or the one
programme), the contract's unmet checks, and check-ins open; My check-ins says answers are
anonymous and lists whose check-in is open for a manager, never anyone's answers."""

from __future__ import annotations

from arrs_desk.ui.home.home_page import AttentionCard, HomePage
from tests.checkin_support import newcomers
from tests.supervision_support import make_team
from tests.support.qt import finish_loading


def home_cards(main_window, qtbot) -> dict[str, AttentionCard]:
    main_window.show_page("Home")
    page = main_window.page("Home")
    assert isinstance(page, HomePage)
    qtbot.waitUntil(lambda: page.dashboard is not None and page.dashboard.complete)
    return {card.item.key: card for card in page.findChildren(AttentionCard)}


def test_programmes_behind_opens_the_behind_list(main_window, qtbot, no_dialogs):
    cards = home_cards(main_window, qtbot)
    card = cards["programmes-behind"]
    assert card.button.text() == "Open Programmes" and int(card.count_label.text()) > 1
    card.button.click()
    programmes = main_window.page("Programmes")
    assert main_window.pages.currentWidget() is programmes
    assert programmes.show_filter.currentData() == "behind"
    assert programmes.proxy.rowCount() == card.item.count


def test_a_single_programme_behind_opens_that_programme(main_window, qtbot, monkeypatch):
    from dataclasses import replace

    from arrs_desk.ui.programmes.programmes_page import ProgrammesPage

    opened = []
    monkeypatch.setattr(ProgrammesPage, "open_enrolment", lambda self, enrolment_id: opened.append(enrolment_id))
    page = main_window.page("Home")
    home_cards(main_window, qtbot)
    item = replace(page.dashboard.items[0], key="programmes-behind", page="Programmes", enrolment_id=42, show="behind")
    card = AttentionCard(item, True, page._open)
    assert card.button.text() == "Open the programme"
    card.button.click()
    assert opened == [42] and main_window.pages.currentWidget() is main_window.page("Programmes")


def test_contract_checks_open_assurance_showing_only_unmet(main_window, qtbot, no_dialogs):
    card = home_cards(main_window, qtbot)["contract-checks"]
    assert "Needs action" in card.accessibleName()
    card.button.click()
    assurance = finish_loading(main_window.page("Assurance"))  # the filter holds for the data that arrives
    assert main_window.pages.currentWidget() is assurance and assurance.unmet_only.isChecked()
    assert assurance.model.rowCount() == card.item.count


def test_checkins_open_the_checkins_page_with_whose_is_open(qtbot, workspace, system_actor, ui_settings, no_dialogs):
    from arrs_desk.ui.shell.main_window import MainWindow

    team = make_team(workspace, system_actor)
    starters = newcomers(workspace, system_actor, [team.alpha], 2, manager_id=team.helen_id)
    window = MainWindow(settings=ui_settings, workspace=workspace, actor=team.helen)
    qtbot.addWidget(window)
    window.show()
    card = home_cards(window, qtbot)["checkins-due"]
    card.button.click()
    page = finish_loading(window.page("My check-ins"))
    assert window.pages.currentWidget() is page and page.team_box.isVisible()
    listed = [page.team_model.index(r, 0).data() for r in range(page.team_model.rowCount())]
    assert all(s.display_name in listed for s in starters)
    shown = page.team.text() + " ".join(page.team_model.index(r, c).data() for r in range(len(listed)) for c in range(3))
    assert "anonymous" in page.anonymity.text() and "agree" not in shown.lower()  # who, never what
    assert not no_dialogs


def test_my_checkins_tells_the_schedule_as_set_and_keeps_it_short(qtbot, workspace, system_actor, ui_settings):
    from arrs_desk.ui.shell.main_window import MainWindow

    team = make_team(workspace, system_actor)  # Helen has been in post since 2019: dozens of check-ins
    workspace.checkins.set_schedule(team.admin, months=[2, 6], repeat_every=12, expected_version=None)
    window = MainWindow(settings=ui_settings, workspace=workspace, actor=team.helen)
    qtbot.addWidget(window)
    window.show_page("My check-ins")
    page = finish_loading(window.page("My check-ins"))
    assert page.intro.text().startswith("A few minutes at 2 and 6 months in post, then once a year")
    lines = page.schedule.text().split("<br>")
    assert "earlier check-ins" in lines[1] and len(lines) == 2 + 6
    assert "saved without your name or the date" in page.anonymity.text()
