"""Read-only tables of the DSPT page: each shows one section of `services.dspt.DsptReport`."""

from __future__ import annotations

from arrs_desk.ui.common.table_model import RowTableModel


class AccountsModel(RowTableModel):
    HEADERS = ("Account", "Name", "Roles", "Active", "Last sign-in", "Staff record", "Needs doing")

    def cell(self, row, column: int) -> str:
        person = row.person + (f" (left {row.person_left_on})" if row.person_left_on else "")
        return (row.username, row.display_name, row.roles, "Yes" if row.active else "No", row.last_sign_in,
                person or "Not linked", row.flag)[column]


class MovementsModel(RowTableModel):
    HEADERS = ("What", "Who", "Role", "When", "Detail", "Account", "Needs doing")

    def cell(self, row, column: int) -> str:
        return (row.kind, row.person, row.role, f"{row.on:%d/%m/%Y}", row.detail, row.account, row.flag)[column]

    def sort_key(self, row, column: int):
        return row.on.toordinal() if column == 3 else self.cell(row, column).casefold()


class ActionsModel(RowTableModel):
    HEADERS = ("When", "Who", "Action", "What")

    def cell(self, row, column: int) -> str:
        return (row.when, row.who, row.action, row.summary)[column]


class RestoreTestsModel(RowTableModel):
    HEADERS = ("When", "Who", "Backup", "Result")

    def cell(self, row, column: int) -> str:
        return (row.when, row.who, row.backup, row.detail)[column]


class ReviewsModel(RowTableModel):
    HEADERS = ("When", "Who", "Accounts checked", "Note")

    def cell(self, row, column: int) -> str:
        return (row.when, row.who, str(row.accounts), row.note)[column]
