import logging
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from arrs_desk.errors import PermissionDenied, StaleEdit, ValidationError
from arrs_desk.services.accounts import SignInFailed
from arrs_desk.services.actor import Actor
from arrs_desk.store.models import AuditEntry, UserAccount

SECRET = "correct horse battery staple"


class Clock:
    def __init__(self):
        self.now = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now


@pytest.fixture
def clock(workspace):
    clock = Clock()
    workspace.accounts._now = clock
    return clock


@pytest.fixture
def admin(workspace):
    return workspace.accounts.create_first_administrator(username="Admin.One", display_name="Adaeze Admin", password=SECRET)


def audit_rows(workspace, action=None):
    with workspace.db.read() as session:
        stmt = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            stmt = stmt.where(AuditEntry.action == action)
        return session.execute(stmt).scalars().all()


def test_first_run_creates_one_administrator(workspace, admin):
    assert workspace.accounts.needs_first_run() is False
    assert admin.username == "admin.one" and "administrator" in admin.roles
    with pytest.raises(PermissionDenied):
        workspace.accounts.create_first_administrator(username="other", display_name="Other", password=SECRET)


def test_sign_in_and_out_are_audited(workspace, admin):
    actor = workspace.accounts.sign_in(username="ADMIN.one ", password=SECRET)
    assert actor.user_id == admin.user_id
    workspace.accounts.sign_out(actor)
    assert [e.action for e in audit_rows(workspace) if e.entity_type == "user"][-2:] == ["login", "logout"]


def test_wrong_password_is_audited_and_locks_out_after_a_few(workspace, admin, clock):
    for _ in range(3):
        with pytest.raises(SignInFailed, match="not right"):
            workspace.accounts.sign_in(username="admin.one", password="wrong password!")
    with pytest.raises(SignInFailed, match="Wait 30 seconds"):
        workspace.accounts.sign_in(username="admin.one", password=SECRET)  # even the right password waits
    clock.now += timedelta(seconds=30)
    with pytest.raises(SignInFailed, match="not right"):
        workspace.accounts.sign_in(username="admin.one", password="wrong again!!")
    with pytest.raises(SignInFailed, match="Wait 60 seconds"):  # the wait doubles
        workspace.accounts.sign_in(username="admin.one", password=SECRET)
    clock.now += timedelta(seconds=60)
    assert workspace.accounts.sign_in(username="admin.one", password=SECRET).user_id == admin.user_id
    failures = audit_rows(workspace, "login_failed")
    assert len(failures) == 6 and "admin.one" in failures[0].summary and "locked for 30 s" in failures[2].summary
    assert "during a lock-out" in failures[3].summary  # attempts while locked are audited too


def test_unknown_user_fails_the_same_way(workspace, admin):
    with pytest.raises(SignInFailed, match="username or password is not right"):
        workspace.accounts.sign_in(username="nobody", password=SECRET)


def test_password_rules(workspace, admin):
    with pytest.raises(ValidationError) as caught:
        workspace.accounts.create_user(admin, username="bob", display_name="Bob Jones", password="short", roles=["staff"])
    assert "at least 10" in caught.value.errors["password"]
    with pytest.raises(ValidationError) as caught:
        workspace.accounts.create_user(admin, username="bob", display_name="Bob Jones", password="password123", roles=["staff"])
    assert "too easy" in caught.value.errors["password"]
    with pytest.raises(ValidationError) as caught:
        workspace.accounts.create_user(admin, username="bob", display_name="Bob Jones", password="jones-is-great-1", roles=["staff"])
    assert "your name" in caught.value.errors["password"]


def test_new_user_must_change_password_then_can(workspace, admin):
    workspace.accounts.create_user(admin, username="amy", display_name="Amy Ng", password="temporary pass 1", roles=["staff"])
    amy = workspace.accounts.sign_in(username="amy", password="temporary pass 1")
    assert workspace.accounts.must_change_password(amy)
    with pytest.raises(ValidationError) as caught:
        workspace.accounts.change_own_password(amy, current="nope nope nope", new="a new long phrase")
    assert "current" in caught.value.errors
    workspace.accounts.change_own_password(amy, current="temporary pass 1", new="a new long phrase")
    assert not workspace.accounts.must_change_password(amy)
    assert workspace.accounts.sign_in(username="amy", password="a new long phrase").username == "amy"


def test_admin_reset_clears_lockout(workspace, admin, clock):
    workspace.accounts.create_user(admin, username="amy", display_name="Amy Ng", password="temporary pass 1", roles=["staff"])
    for _ in range(5):
        with pytest.raises(SignInFailed):
            workspace.accounts.sign_in(username="amy", password="bad bad bad bad")
    user = next(u for u in workspace.accounts.list_users(admin) if u.username == "amy")
    assert user.locked
    workspace.accounts.reset_password(admin, user_id=user.id, new_password="fresh start phrase")
    assert workspace.accounts.sign_in(username="amy", password="fresh start phrase").username == "amy"


def test_only_administrators_manage_users(workspace, admin):
    manager = Actor(50, "m", "Manager", frozenset({"line_manager"}), None)
    with pytest.raises(PermissionDenied):
        workspace.accounts.create_user(manager, username="x1", display_name="X", password=SECRET, roles=["staff"])
    with pytest.raises(PermissionDenied):
        workspace.accounts.list_users(manager)


def test_last_administrator_cannot_be_removed(workspace, admin):
    other = workspace.accounts.create_user(admin, username="second", display_name="Second Admin", password=SECRET,
                                           roles=["administrator"])
    me = next(u for u in workspace.accounts.list_users(admin) if u.id == admin.user_id)
    with pytest.raises(ValidationError, match="own administrator"):
        workspace.accounts.update_user(admin, user_id=me.id, display_name=me.display_name, roles=["staff"], staff_id=None,
                                       active=True, expected_version=me.version)
    workspace.accounts.update_user(admin, user_id=other.id, display_name="Second", roles=["staff"], staff_id=None,
                                   active=True, expected_version=other.version)
    with pytest.raises(StaleEdit):
        workspace.accounts.update_user(admin, user_id=other.id, display_name="Stale", roles=["staff"], staff_id=None,
                                       active=True, expected_version=other.version)


def test_single_user_mode_is_an_explicit_choice(workspace):
    assert workspace.accounts.needs_first_run()
    with pytest.raises(ValidationError):
        workspace.accounts.choose_single_user(display_name="  ")
    with pytest.raises(ValidationError, match="200 characters") as refused:  # refused, never cut short
        workspace.accounts.choose_single_user(display_name="Ngozi " * 1000)
    assert list(refused.value.errors) == ["display_name"] and workspace.accounts.needs_first_run()
    actor = workspace.accounts.choose_single_user(display_name="Dr Ngozi Okafor")
    assert actor.display_name == "Dr Ngozi Okafor" and "line_manager" in actor.roles
    assert workspace.accounts.mode() == "single"
    again = workspace.accounts.single_user_actor()
    assert again.user_id == actor.user_id
    with pytest.raises(PermissionDenied):
        workspace.accounts.create_first_administrator(username="late", display_name="Late", password=SECRET)


@pytest.mark.sqlite_only("reads the raw bytes of the database file")
def test_passwords_never_stored_logged_or_audited_in_clear(workspace, admin, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    temp = "temporary secret phrase 77"
    changed = "changed secret phrase 88"
    workspace.accounts.create_user(admin, username="amy", display_name="Amy Ng", password=temp, roles=["staff"])
    with pytest.raises(SignInFailed):
        workspace.accounts.sign_in(username="amy", password="wrong secret phrase 99")
    amy = workspace.accounts.sign_in(username="amy", password=temp)
    workspace.accounts.change_own_password(amy, current=temp, new=changed)
    workspace.accounts.reset_password(admin, user_id=amy.user_id, new_password="reset secret phrase 66")
    secrets = [SECRET, temp, changed, "wrong secret phrase 99", "reset secret phrase 66"]
    with workspace.db.read() as session:
        hashes = session.execute(select(UserAccount.password_hash)).scalars().all()
        dump = "\n".join(str(row) for table in ("user_account", "audit_entry", "setting")
                         for row in session.execute(text(f"SELECT * FROM {table}")).all())
    assert all(h.startswith("$argon2") for h in hashes)
    workspace.db.dispose()
    raw = workspace.db.path.read_bytes()
    wal = workspace.db.path.with_name(workspace.db.path.name + "-wal")
    raw += wal.read_bytes() if wal.exists() else b""
    for secret in secrets:
        assert secret not in dump
        assert secret.encode() not in raw
        assert secret not in caplog.text
    audited = [e for e in audit_rows(workspace) if e.action in ("password", "password_reset")]
    assert audited and all(e.changes.get("password", ["(not recorded)"])[0] == "(not recorded)" for e in audited)


def test_staff_record_can_have_only_one_account(demo_workspace, system_actor):
    staff_id = demo_workspace.staff.list_rows(system_actor)[3].id
    demo_workspace.accounts.create_user(system_actor, username="first.one", display_name="First", password=SECRET,
                                        roles=["staff"], staff_id=staff_id)
    with pytest.raises(ValidationError) as caught:
        demo_workspace.accounts.create_user(system_actor, username="second.one", display_name="Second", password=SECRET,
                                            roles=["staff"], staff_id=staff_id)
    assert "already has the account first.one" in caught.value.errors["staff_id"]


def test_demo_accounts_sign_in(demo_workspace):
    from arrs_desk.demo.pcn import DEMO_PASSWORD

    zoe = demo_workspace.accounts.sign_in(username="zoe.okubo", password=DEMO_PASSWORD)
    helen = demo_workspace.accounts.sign_in(username="helen.whitfield", password=DEMO_PASSWORD)
    record = demo_workspace.staff.get(zoe, staff_id=zoe.staff_id)
    assert record.display_name == "Zoë Ōkubo" and record.data.line_manager_id == helen.staff_id


def test_audit_log_is_admin_only_and_exports_safely(workspace, admin, tmp_path):
    from arrs_desk.services.audit_log import AuditFilter

    workspace.accounts.create_user(admin, username="mallory", display_name="=HYPERLINK(\"x\")", password=SECRET,
                                   roles=["staff"])
    staff_actor = workspace.accounts.sign_in(username="mallory", password=SECRET)
    with pytest.raises(PermissionDenied):
        workspace.audit_log.entries(staff_actor)
    rows = workspace.audit_log.entries(admin, flt=AuditFilter(action="login"))
    assert [r.actor_name for r in rows] == ['=HYPERLINK("x")']
    out = tmp_path / "audit.csv"
    count = workspace.audit_log.export_csv(admin, path=out)
    content = out.read_text(encoding="utf-8-sig")
    assert count >= 3 and "'=HYPERLINK" in content and "\n=HYPERLINK" not in content and ',=HYPERLINK' not in content


def test_single_user_looks_after_everyone_but_not_their_own_sign_off(workspace, system_actor):
    from arrs_desk.domain.permissions import Relationship
    from arrs_desk.demo.pcn import build_demo
    from arrs_desk.services.relationships import relationship

    build_demo(workspace, with_accounts=False)
    rows = workspace.staff.list_rows(system_actor)
    me = rows[0].id
    sole = workspace.accounts.choose_single_user(display_name="Dr Sam Okonkwo", staff_id=me)
    assert sole.sole_user
    with workspace.db.read() as session:
        other = relationship(session, sole, rows[1].id)
        mine = relationship(session, sole, me)
    assert other.manages and other.supervises and other.appraises and other.assesses
    assert mine == Relationship(is_self=True)


def test_every_audited_action_has_a_readable_label():
    """The audit viewer shows words, not codes, for everything any service records."""
    import re
    from pathlib import Path

    from arrs_desk.services.audit_log import ACTION_LABELS

    source = Path(__file__).resolve().parents[2] / "src" / "arrs_desk"
    recorded = set()
    for path in source.rglob("*.py"):
        recorded |= set(re.findall(r'audit\.record\(\s*[^,]+,\s*[^,]+,\s*"([a-z_]+)"', path.read_text(encoding="utf-8")))
    assert recorded and recorded <= set(ACTION_LABELS), sorted(recorded - set(ACTION_LABELS))
