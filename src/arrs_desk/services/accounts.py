"""Accounts: signing in, the first administrator, single-user mode, and managing users.

Passwords are hashed with argon2 (argon2-cffi's current defaults) and never stored, logged or
audited in clear text. A failed sign-in is audited with the username tried, never the password.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select

from arrs_desk.domain import accounts as rules
from arrs_desk.domain.permissions import AccessRole, Action
from arrs_desk.clock import UK
from arrs_desk.domain.staff import StaffStatus, effective_status
from arrs_desk.domain.staff import display_name as staff_display_name
from arrs_desk.errors import PermissionDenied, StaleEdit, ValidationError
from arrs_desk.services import account_safety as safety
from arrs_desk.services import audit, two_step
from arrs_desk.services._common import apply_update, clean_text, get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.two_step import CodeCheck
from arrs_desk.store import audit_chain
from arrs_desk.store.database import Database
from arrs_desk.store.models import Setting, Staff, TwoStepSecret, UserAccount, utcnow

MODE_KEY = "accounts.mode"
IDLE_LOCK_KEY = "accounts.idle_lock_minutes"
DEFAULT_IDLE_LOCK_MINUTES = 10
SINGLE_USER = "single"
MULTI_USER = "multi"


_hasher = safety.hasher  # the one PasswordHasher (tests and the demo hash with it too)


class SignInFailed(PermissionDenied):
    title = "Cannot sign in"


class SecondStepNeeded(SignInFailed):
    """The password was right and the account uses two-step sign-in: ask for the code, then call
    `sign_in` again with it. Said only after the password is checked, so it tells a stranger nothing."""

    title = "Enter your code"


@dataclass(frozen=True, slots=True)
class UserRow:
    id: int
    username: str
    display_name: str
    roles: tuple[str, ...]
    staff_id: int | None
    staff_name: str
    active: bool
    must_change_password: bool
    last_login_at: datetime | None
    locked: bool
    version: int
    staff_left: bool = False
    """The linked staff record says the person has left: the account no longer signs in (unless it
    is the last administrator in post), and DSPT 4.2 expects it turned off."""
    two_step: bool = False
    """Signs in with a code from an authenticator app as well as the password."""

    @property
    def roles_text(self) -> str:
        return ", ".join(AccessRole(r).label for r in self.roles)


@dataclass(frozen=True, slots=True)
class WindowSignIn:
    """A sign-in at the window, with what the window asks straight after it, found in the sign-in's
    own transaction: on a server across sites each of these read on its own was two or three more
    round trips between pressing Sign in and seeing the staff list."""

    actor: Actor
    notices: tuple[str, ...]  # what administrators did to the account since, now marked as seen
    must_change_password: bool
    two_step_setup_needed: bool
    idle_lock_minutes: int


PASSWORD_ADVICE = rules.PASSWORD_ADVICE
"""What a new password must be, for the screens that ask for one."""
MAX_PASSWORD_LENGTH = rules.MAX_PASSWORD_LENGTH
"""For a password box: it holds no more than a password may be."""


def _roles(values) -> tuple[str, ...]:
    try:
        roles = tuple(sorted({AccessRole(v).value for v in values}))
    except ValueError:
        raise ValidationError.single("roles", "Unknown access role.") from None
    if not roles:
        raise ValidationError.single("roles", "Give the account at least one role.")
    return roles


class AccountService:
    def __init__(self, db: Database, now: Callable[[], datetime]):
        self._db = db
        self._now = now

    # --- set-up -------------------------------------------------------------------------
    def mode(self) -> str | None:
        """None until the first run has been completed (administrator created or single-user chosen)."""
        with self._db.read() as session:
            row = session.get(Setting, MODE_KEY)
            return row.value if row else None

    def needs_first_run(self) -> bool:
        return self.mode() is None

    def idle_lock_minutes(self) -> int:
        """Shared PCs lock themselves after this long without use (0 turns the lock off)."""
        with self._db.read() as session:
            return _idle_lock_minutes(session)

    def idle_lock_setting(self) -> tuple[int, int | None]:
        """(minutes, version): the version to pass back to `set_idle_lock_minutes` (None: never set)."""
        with self._db.read() as session:
            row = session.get(Setting, IDLE_LOCK_KEY)
            minutes = int(row.value) if row and isinstance(row.value, int) else DEFAULT_IDLE_LOCK_MINUTES
            return minutes, (row.version if row else None)

    def set_idle_lock_minutes(self, actor: Actor, *, minutes: int, expected_version: int | None = None) -> int:
        """Saved only if nobody changed the setting since it was read at `expected_version` (None: it
        had never been set), like every other write: two administrators' saves never silently race.
        Returns the setting as it now stands."""
        require(actor, Action.MANAGE_SETTINGS)
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= 240:
            raise ValidationError.single("idle_lock_minutes", "The idle lock must be between 1 and 240 minutes, or 0 for never.")
        with self._db.write() as session:
            row = session.get(Setting, IDLE_LOCK_KEY)
            before = row.value if row else DEFAULT_IDLE_LOCK_MINUTES
            if row is None:
                if expected_version is not None:
                    raise StaleEdit("Someone else changed the idle lock after you opened it, so your change was "
                                    "not saved. Close the window, open it again and make your change.")
                session.add(Setting(key=IDLE_LOCK_KEY, value=minutes))
            else:
                if expected_version is None:
                    raise StaleEdit("Someone else set the idle lock after you opened it, so your change was not "
                                    "saved. Close the window, open it again and make your change.")
                apply_update(session, row, {"value": minutes}, expected_version, "setting")
            audit.record(session, actor, "settings", "setting", IDLE_LOCK_KEY, f"Idle lock set to {minutes} minutes",
                         {"idle_lock_minutes": [before, minutes]})
        return self.idle_lock_minutes()

    def set_mode_if_unset(self, mode: str) -> None:
        with self._db.write() as session:
            if session.get(Setting, MODE_KEY) is None:
                session.add(Setting(key=MODE_KEY, value=mode))

    def create_first_administrator(self, *, username: str, display_name: str, password: str,
                                   staff_id: int | None = None) -> Actor:
        """Only possible while the database has no accounts: whoever installs ARRS Desk sets it up."""
        password_hash = _hash_if_acceptable(password, username, display_name)  # outside the write lock
        with self._db.write() as session:
            if session.get(Setting, MODE_KEY) is not None or session.execute(select(func.count()).select_from(UserAccount)).scalar():
                raise PermissionDenied("This database already has its administrator. Ask them to create your account.")
            user = self._new_user(session, username=username, display_name=display_name, password=password,
                                  password_hash=password_hash, roles=[AccessRole.ADMINISTRATOR.value],
                                  staff_id=staff_id)
            session.add(Setting(key=MODE_KEY, value=MULTI_USER))
            actor = self._actor(user)
            audit.record(session, actor, "create", "user", user.id, f"Created the first administrator, {user.display_name}",
                         {"username": [None, user.username], "roles": [None, list(user.roles)]})
            return actor

    def choose_single_user(self, *, display_name: str, staff_id: int | None = None) -> Actor:
        """One person, one PC: no password prompt. Chosen explicitly; every change still names them."""
        name = clean_text(display_name)
        if not name:
            raise ValidationError.single("display_name", "Enter your name; it is recorded against everything you sign.")
        if len(name) > 200:  # refused, as for any account: cut short, it disagreed with the audit entry naming it
            raise ValidationError.single("display_name", "Your name is too long; 200 characters is the most.")
        with self._db.write() as session:
            if session.get(Setting, MODE_KEY) is not None:
                raise PermissionDenied("This database has already been set up.")
            user = UserAccount(username="owner", display_name=name, staff_id=staff_id,
                               roles=[r.value for r in AccessRole if r is not AccessRole.STAFF],
                               password_hash=safety.hasher().hash(f"single-user:{name}:{utcnow().isoformat()}"))
            session.add(user)
            session.flush()
            session.add(Setting(key=MODE_KEY, value=SINGLE_USER))
            actor = self._actor(user, sole_user=True)
            audit.record(session, actor, "settings", "user", user.id, f"Chose single-user mode for {name}")
            return actor

    def single_user_actor(self) -> Actor:
        with self._db.write() as session:
            user = session.execute(select(UserAccount).where(UserAccount.active).order_by(UserAccount.id)).scalars().first()
            if user is None:
                raise PermissionDenied("The single-user account is missing; restore from a backup.")
            actor = self._actor(user, sole_user=True)
            audit.record(session, actor, "login", "user", user.id, f"{user.display_name} opened ARRS Desk (single-user mode)")
            return actor

    # --- signing in ---------------------------------------------------------------------
    def sign_in(self, *, username: str, password: str, code: str | None = None,
                record_sign_in: bool = True) -> Actor:
        """Check the password (with lock-out) and, for a window session, record the sign-in."""
        return self._sign_in(username, password, code, record_sign_in, at_window=False).actor

    def sign_in_at_window(self, *, username: str, password: str, code: str | None = None) -> WindowSignIn:
        """`sign_in` for the window: the account's notices are taken (shown once) and whether the
        password must be changed, two-step sign-in set up, and how soon the PC locks are read in the
        same transaction as the sign-in is recorded."""
        return self._sign_in(username, password, code, True, at_window=True)

    def _sign_in(self, username: str, password: str, code: str | None, record_sign_in: bool, *,
                 at_window: bool) -> WindowSignIn:
        """Check the password (with lock-out) and, for a window session, record the sign-in.

        A one-off command (`arrs-desk export`, `pack`) passes record_sign_in=False: its own work
        is audited under the person's name, and a full export must not change what it copies
        (the sign-in time and entry would make every export of the same data differ).

        Three short transactions, none of them open while argon2 runs (see `account_safety`):
        take a try under a row lock (counted as a failure until it succeeds, so parallel guesses
        beyond the free ones find the name locked), check the password, then record the outcome.
        An account with two-step sign-in needs `code` too: without it the try is given back and
        `SecondStepNeeded` raised; a wrong code keeps the try as a failure (`two_step`).
        """
        name = rules.normalise_username(username)[:60]
        now = self._now()
        with self._db.write() as session:
            # The account's own row counts its failures: read under its lock straight away (one
            # round trip, not a read and then a locking read).
            user = session.execute(select(UserAccount).where(UserAccount.username == name)
                                   .with_for_update()).scalar_one_or_none()
            counter = user if user is not None else safety.locked_counter(session, name, None)
            stored_hash = user.password_hash if user is not None and user.active else None
            wait = safety.wait_seconds(counter, now)
            delay = None
            locked_before = counter.locked_until
            if wait is None:
                counter.failed_attempts += 1
                delay = rules.lockout_delay(counter.failed_attempts)
                if delay:  # taken now, cleared if the password is right
                    counter.locked_until = now + delay
            else:
                self._audit_attempt(session, user, name, f"Sign-in refused for '{name}' during a lock-out")
                stored_hash = None
            user_id = user.id if user is not None else None
        ok = safety.verify(stored_hash, password)  # the same work for every name, locked or not
        if wait is not None:
            raise SignInFailed(safety.lock_text(wait))
        if not ok:
            summary = f"Failed sign-in for '{name}'"
            if delay:
                summary += f"; locked for {int(delay.total_seconds())} s"
            with self._db.write() as session:
                self._audit_attempt(session, user, name, summary)
            raise SignInFailed("The username or password is not right. Check Caps Lock and try again.")
        rehash = safety.hasher().hash(password) if safety.hasher().check_needs_rehash(stored_hash) else None
        leaver: tuple[bool, str] | None = None
        with self._db.write() as session:
            user = session.get(UserAccount, user_id)
            second = two_step.check(session, user.id, code, now)
            if second is CodeCheck.MISSING:  # not a failure: the person is asked for their code
                user.failed_attempts = max(0, user.failed_attempts - 1)
                if delay:
                    user.locked_until = locked_before
            elif second is CodeCheck.WRONG:  # the try taken above stays a failure
                self._audit_attempt(session, user, name, f"Wrong two-step code for '{name}'"
                                    + (f"; locked for {int(delay.total_seconds())} s" if delay else ""))
            elif (leaver := self._leaver_notice(session, user, now)) and leaver[0]:
                user.failed_attempts = 0  # the password was right: nothing was guessed
                user.locked_until = None
                self._audit_attempt(session, user, name, f"Sign-in refused for '{name}': {leaver[1]}")
            else:
                user.failed_attempts = 0
                user.locked_until = None
                if rehash and user.password_hash == stored_hash:
                    user.password_hash = rehash
                actor = self._actor(user)
                if record_sign_in:
                    user.last_login_at = now
                    audit.record(session, actor, "login", "user", user.id, f"{user.display_name} signed in"
                                 + (" (with two-step code)" if second is CodeCheck.ACCEPTED else ""))
                signed_in = WindowSignIn(
                    actor, (*(safety.unseen_notices(session, user.id, now) if at_window else ()),
                            *((leaver[1],) if leaver else ())),
                    bool(user.must_change_password),
                    second is CodeCheck.NOT_NEEDED and two_step.required(actor, self._db),  # no secret yet
                    _idle_lock_minutes(session) if at_window else DEFAULT_IDLE_LOCK_MINUTES)
        if second is CodeCheck.MISSING:
            raise SecondStepNeeded("Enter the six-digit code your authenticator app shows for ARRS Desk.")
        if second is CodeCheck.WRONG:
            raise SignInFailed("That code is not right. Type the code your authenticator app shows now; each "
                               "code works once.")
        if leaver and leaver[0]:
            raise SignInFailed(leaver[1])
        return signed_in

    @staticmethod
    def _leaver_notice(session, user: UserAccount, now: datetime) -> tuple[bool, str] | None:
        """Whether the account's holder has left (their staff record says so today), and if so
        whether they are refused and what they are told; None for anyone in post or unlinked.

        A leaver's account kept every right it had (administrator included) until someone turned it
        off, which DSPT 4.2 expects on the last day: from the day after, it no longer signs in.
        The one exception: while no other administrator is in post, an administrator who has left
        still signs in (else nobody could reach the accounts that fix it), and is told what to do.
        A window signed in before is held to the same rule on every save (`audit_chain._check_writer`)."""
        if user.staff_id is None:
            return None
        today = now.astimezone(UK).date()
        person = session.get(Staff, user.staff_id)
        if person is None or effective_status(person.status, person.start_date, person.end_date,
                                              today) is not StaffStatus.LEFT:
            return None
        when = rules.left_on(person.end_date, today)
        if AccessRole.ADMINISTRATOR.value in user.roles and not audit_chain.admins_in_post(session, user.id, today):
            return False, (f"Your staff record says you left{when}. No administrator is still in post, so you can "
                           "still sign in: give someone in post the administrator role in User accounts, then turn "
                           "this account off.")
        return True, (f"Your staff record says you left{when}, so this account no longer signs in. If you have "
                      "come back, ask an administrator to update your staff record.")

    @staticmethod
    def _audit_attempt(session, user: UserAccount | None, tried: str, summary: str) -> None:
        """Failures and refusals are written even though the sign-in itself raises: that is the point of them.

        A name no account has is not written (the summary says "a name with no account" where it
        quotes it): people type their password into the name box, and the audit trail keeps every
        entry for good, where every administrator reads it."""
        if user is None:
            summary, tried = summary.replace(f"'{tried}'", "a name with no account"), ""
        anonymous = Actor(None, tried[:60], f"(failed sign-in: {tried[:60]})" if tried else "(failed sign-in)")
        audit.record(session, anonymous, "login_failed", "user", user.id if user else "", summary)

    def take_notices(self, actor: Actor) -> list[str]:
        """What administrators did to this account since its holder last signed in (shown once)."""
        if actor.user_id is None:
            return []
        with self._db.write() as session:
            return safety.unseen_notices(session, actor.user_id, self._now())

    def sign_out(self, actor: Actor) -> None:
        with self._db.write() as session:
            audit.record(session, actor, "logout", "user", actor.user_id or "", f"{actor.display_name} signed out")

    def record_discarded_work(self, actor: Actor, *, previous_name: str, windows: list[str]) -> None:
        """Someone else signed in at a locked PC: the last person's unsaved edits were closed unsaved."""
        names = "; ".join(w.strip() for w in windows if w.strip())[:300]
        with self._db.write() as session:
            audit.record(session, actor, "discard", "user", actor.user_id or "",
                         f"Unsaved changes {previous_name} left open when ARRS Desk locked were discarded when "
                         f"{actor.display_name} signed in ({len(windows)} window{'s' if len(windows) != 1 else ''}: {names})")

    def change_own_password(self, actor: Actor, *, current: str, new: str) -> None:
        """Argon2 runs outside the write transaction (see `account_safety`); a password changed by
        someone else meanwhile is refused rather than overwritten."""
        with self._db.read() as session:
            user = get_or_404(session, UserAccount, actor.user_id, "account")
            stored, username, shown = user.password_hash, user.username, user.display_name
        if not safety.verify(stored, current):
            raise ValidationError.single("current", "Your current password is not right.")
        problem = rules.password_problem(new, username=username, display_name=shown)
        if problem:
            raise ValidationError.single("new", problem)
        if new == current:
            raise ValidationError.single("new", "Choose a password different from your current one.")
        new_hash = safety.hasher().hash(new)
        with self._db.write() as session:
            user = get_or_404(session, UserAccount, actor.user_id, "account")
            if user.password_hash != stored:
                raise ValidationError.single("current", "Your password was changed meanwhile; sign in again.")
            user.password_hash = new_hash
            user.must_change_password = False
            user.version += 1
            safety.set_trusted(session, user.id, True, self._now())  # the holder, not an administrator, knows it now
            audit.record(session, actor, "password", "user", user.id, f"{user.display_name} changed their password",
                         {"password": ["(not recorded)", "(not recorded)"]})

    # --- managing users -----------------------------------------------------------------
    def list_users(self, actor: Actor) -> list[UserRow]:
        require(actor, Action.MANAGE_USERS)
        now = self._now()
        today = now.astimezone(UK).date()
        with self._db.read() as session:
            staff, left = {}, set()
            for sid, g, f, p, status, start, end in session.execute(select(
                    Staff.id, Staff.given_name, Staff.family_name, Staff.preferred_name, Staff.status, Staff.start_date,
                    Staff.end_date)).all():
                staff[sid] = staff_display_name(g, f, p)
                if effective_status(status, start, end, today) is StaffStatus.LEFT:
                    left.add(sid)
            with_code = exists().where(TwoStepSecret.user_id == UserAccount.id)  # in the same statement
            users = session.execute(select(UserAccount, with_code).order_by(UserAccount.display_name)).all()
            return [UserRow(u.id, u.username, u.display_name, tuple(u.roles), u.staff_id, staff.get(u.staff_id, ""),
                            u.active, u.must_change_password, u.last_login_at,
                            bool(u.locked_until and safety.aware(u.locked_until) > now), u.version,
                            staff_left=u.staff_id in left, two_step=bool(code)) for u, code in users]

    def create_user(self, actor: Actor, *, username: str, display_name: str, password: str,
                    roles: list[str], staff_id: int | None = None, must_change_password: bool = True) -> UserRow:
        """New accounts get a temporary password that the person must change at first sign-in."""
        require(actor, Action.MANAGE_USERS)
        password_hash = _hash_if_acceptable(password, username, display_name)  # outside the write lock
        with self._db.write() as session:
            # Before the account is made: a new administrator must not count as the one in post
            # that ends a leaver's right to act as the last administrator (`audit_chain`).
            audit.check_writer(session, actor)
            user = self._new_user(session, username=username, display_name=display_name, password=password,
                                  password_hash=password_hash, roles=roles, staff_id=staff_id,
                                  must_change=must_change_password)
            audit.record(session, actor, "create", "user", user.id, f"Created account {user.username} for {user.display_name}",
                         {"username": [None, user.username], "roles": [None, list(user.roles)],
                          "staff_id": [None, user.staff_id]})
            if user.staff_id is not None and not actor.is_system:
                self._untrust_link(session, actor, user)
        return next(u for u in self.list_users(actor) if u.id == user.id)

    def update_user(self, actor: Actor, *, user_id: int, display_name: str, roles: list[str],
                    staff_id: int | None, active: bool, expected_version: int) -> UserRow:
        """Change an account; returns its row as the list shows it now."""
        require(actor, Action.MANAGE_USERS)
        with self._db.write() as session:
            user = get_or_404(session, UserAccount, user_id, "account")
            errors = {}
            name = clean_text(display_name)
            if not name:
                errors["display_name"] = "Display name is required."
            elif len(name) > 200:  # as `_new_user`: a PostgreSQL server refused 10,000 characters with its own error
                errors["display_name"] = "Display name is too long; 200 characters is the most."
            try:
                new_roles = list(_roles(roles))
            except ValidationError as exc:
                errors.update(exc.errors)
                new_roles = list(user.roles)
            if staff_id is not None:
                self._check_staff_link(session, staff_id, user_id, errors)
            if user.id == actor.user_id and (not active or AccessRole.ADMINISTRATOR.value not in new_roles):
                errors["roles"] = "You cannot remove your own administrator rights or deactivate yourself."
            if not errors and AccessRole.ADMINISTRATOR.value in user.roles and (
                    not active or AccessRole.ADMINISTRATOR.value not in new_roles) and self._other_admins(session, user.id) == 0:
                errors["roles"] = "This is the last active administrator; make someone else an administrator first."
            if errors:
                raise ValidationError(errors)
            values = {"display_name": name, "roles": new_roles, "staff_id": staff_id, "active": active}
            before = {k: getattr(user, k) for k in values}
            # Recorded (and so flushed, with the check of the writer's own account, `audit_chain`)
            # before the account changes: an administrator linking their own account to a staff
            # record is checked against the account they signed in as, not the one they make.
            audit.record(session, actor, "update", "user", user_id, f"Updated account {user.username}",
                         audit.diff(before, values))
            apply_update(session, user, values, expected_version, "account")
            if before["staff_id"] != staff_id and not actor.is_system:
                if before["staff_id"] is not None:
                    safety.warn(session, actor, user, f"Unlinked account {user.username} from its staff record",
                                f"{actor.display_name} unlinked your account from your staff record on "
                                f"{safety.day_text(self._now())}. If you did not expect this, tell your line manager.",
                                self._now())
                if staff_id is not None:
                    self._untrust_link(session, actor, user)
        return next(u for u in self.list_users(actor) if u.id == user_id)

    def reset_password(self, actor: Actor, *, user_id: int, new_password: str) -> UserRow:
        """An administrator sets a temporary password; the user must change it at next sign-in.

        The holder is told at their next sign-in and the reset is flagged in the audit trail; until
        they choose their own password the account's staff link opens no private notes. Returns the
        account's row as the list shows it now (must change, unlocked).
        """
        require(actor, Action.MANAGE_USERS)
        with self._db.read() as session:
            user = get_or_404(session, UserAccount, user_id, "account")
            problem = rules.password_problem(new_password, username=user.username, display_name=user.display_name)
        if problem:
            raise ValidationError.single("password", problem)
        new_hash = safety.hasher().hash(new_password)  # outside the write lock
        with self._db.write() as session:
            user = get_or_404(session, UserAccount, user_id, "account")
            user.password_hash = new_hash
            user.must_change_password = True
            user.failed_attempts = 0
            user.locked_until = None
            user.version += 1
            audit.record(session, actor, "password_reset", "user", user_id, f"Reset the password of {user.username}",
                         {"password": ["(not recorded)", "(not recorded)"]})
            if user_id != actor.user_id and not actor.is_system:
                now = self._now()
                safety.set_trusted(session, user_id, False, now)
                safety.warn(session, actor, user, f"Password of {user.username} reset by {actor.display_name}",
                            f"{actor.display_name} reset your password on {safety.day_text(now)}. If you did not "
                            "ask for this, tell your line manager: someone else may have signed in as you.", now)
        return next(u for u in self.list_users(actor) if u.id == user_id)

    def must_change_password(self, actor: Actor) -> bool:
        with self._db.read() as session:
            user = session.get(UserAccount, actor.user_id) if actor.user_id else None
            return bool(user and user.must_change_password)

    # --- internals ----------------------------------------------------------------------
    def _new_user(self, session, *, username, display_name, password, password_hash, roles, staff_id,
                  must_change=False) -> UserAccount:
        errors: dict[str, str] = {}
        name = rules.normalise_username(username)
        problem = rules.username_problem(name)
        if problem:
            errors["username"] = problem
        elif session.execute(select(UserAccount.id).where(UserAccount.username == name)).first():
            errors["username"] = f"The username {name} is already taken."
        shown = clean_text(display_name)
        if not shown:
            errors["display_name"] = "Display name is required; it appears on everything this person signs."
        elif len(shown) > 200:
            errors["display_name"] = "Display name is too long; 200 characters is the most."
        problem = rules.password_problem(password, username=name, display_name=shown)
        if problem:
            errors["password"] = problem
        try:
            role_values = list(_roles(roles))
        except ValidationError as exc:
            errors.update(exc.errors)
            role_values = []
        if staff_id is not None:
            self._check_staff_link(session, staff_id, None, errors)
        if errors:
            raise ValidationError(errors)
        user = UserAccount(username=name, display_name=shown, password_hash=password_hash,
                           roles=role_values, staff_id=staff_id, must_change_password=must_change)
        session.add(user)
        session.flush()
        return user

    def _untrust_link(self, session, actor: Actor, user: UserAccount) -> None:
        """An administrator linked this account to a staff record: flagged, and not trusted with that
        person's private notes until the account holder sets their own password."""
        now = self._now()
        safety.set_trusted(session, user.id, False, now)
        audit.record(session, actor, "account_warning", "user", user.id,
                     f"Linked account {user.username} to a staff record; it opens that person's private notes only "
                     "after its holder sets their own password", subject_staff_id=user.staff_id)

    @staticmethod
    def _check_staff_link(session, staff_id: int, user_id: int | None, errors: dict) -> None:
        if session.get(Staff, staff_id) is None:
            errors["staff_id"] = "That staff member no longer exists."
            return
        other = session.execute(select(UserAccount.username).where(
            UserAccount.staff_id == staff_id, UserAccount.id != (user_id or -1))).scalar()
        if other:
            errors["staff_id"] = f"That staff member already has the account {other}."

    @staticmethod
    def _other_admins(session, user_id: int) -> int:
        users = session.execute(select(UserAccount).where(UserAccount.active, UserAccount.id != user_id)).scalars()
        return sum(AccessRole.ADMINISTRATOR.value in u.roles for u in users)

    @staticmethod
    def _actor(user: UserAccount, sole_user: bool = False) -> Actor:
        return Actor(user.id, user.username, user.display_name, frozenset(user.roles), user.staff_id, sole_user)


def _idle_lock_minutes(session) -> int:
    row = session.get(Setting, IDLE_LOCK_KEY)
    return int(row.value) if row and isinstance(row.value, int) else DEFAULT_IDLE_LOCK_MINUTES


def _hash_if_acceptable(password: str, username: str, display_name: str) -> str:
    """The argon2 hash of a new account's password, made before the write that stores it: hashing
    takes a third of a second, and inside the write every other PC's save would wait for it (or
    fail as busy). A password the rules refuse gets a placeholder: the write then reports it with
    any other problem in the form, and stores nothing."""
    name, shown = rules.normalise_username(username), clean_text(display_name)
    if rules.password_problem(password, username=name, display_name=shown):
        return ""
    return safety.hasher().hash(password)
