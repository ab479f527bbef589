"""A PostgreSQL server on another computer is reached only over TLS unless the administrator says otherwise."""

import pytest

from arrs_desk.errors import DatabaseProblem
from arrs_desk.store.database import open_database
from arrs_desk.store.pg_tls import ALLOW_ENV, is_local, secure_url


@pytest.mark.parametrize("host", [None, "localhost", "127.0.0.1", "127.8.0.1", "::1", "[::1]", "/var/run/postgresql"])
def test_this_computer_needs_no_tls(host):
    assert is_local(host)


@pytest.mark.parametrize("host", ["db.practice.nhs.uk", "10.0.0.5", "192.168.1.20", "fe80::1"])
def test_any_other_host_is_remote(host):
    assert not is_local(host)


def test_a_local_url_is_left_as_it_is():
    url = "postgresql+psycopg://arrs:secret@localhost:5432/arrs"
    assert secure_url(url) == url
    assert secure_url("postgresql+psycopg://arrs@/arrs?host=/tmp/pg") == "postgresql+psycopg://arrs@/arrs?host=/tmp/pg"


def test_a_remote_url_that_says_nothing_gets_tls_required():
    secured = secure_url("postgresql+psycopg://arrs:secret@db.practice.nhs.uk/arrs")
    assert "sslmode=require" in secured and "secret" in secured  # the password still reaches the driver


@pytest.mark.parametrize("mode", ["require", "verify-ca", "verify-full"])
def test_a_remote_url_with_tls_is_accepted(mode):
    url = f"postgresql+psycopg://arrs@10.0.0.5/arrs?sslmode={mode}"
    assert secure_url(url) == url


@pytest.mark.parametrize("mode", ["disable", "allow", "prefer"])
def test_a_remote_url_without_tls_is_refused_naming_the_setting(mode, monkeypatch):
    monkeypatch.delenv(ALLOW_ENV, raising=False)
    url = f"postgresql+psycopg://arrs:hunter2@10.0.0.5/arrs?sslmode={mode}"
    with pytest.raises(DatabaseProblem) as refused:
        open_database(url)
    assert f"sslmode={mode}" in refused.value.message and ALLOW_ENV in refused.value.message
    assert "hunter2" not in refused.value.message


def test_a_remote_host_hidden_in_the_query_counts_too(monkeypatch):
    monkeypatch.delenv(ALLOW_ENV, raising=False)
    with pytest.raises(DatabaseProblem):
        secure_url("postgresql+psycopg://arrs@localhost/arrs?host=db.example.org&sslmode=disable")


def test_the_administrator_may_allow_it(monkeypatch):
    monkeypatch.setenv(ALLOW_ENV, "1")
    url = "postgresql+psycopg://arrs@10.0.0.5/arrs?sslmode=disable"
    assert secure_url(url) == url


def test_sqlite_is_not_touched():
    assert secure_url("sqlite:////tmp/x.sqlite3") == "sqlite:////tmp/x.sqlite3"
