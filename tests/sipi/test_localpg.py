"""The project's own PostgreSQL helper: what a newcomer without PostgreSQL is told."""

from __future__ import annotations

from pathlib import Path

from sipi import localpg


def test_missing_postgresql_says_how_to_install_and_fails(monkeypatch, capsys):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(localpg.shutil, "which", lambda name: None)
    monkeypatch.setattr(localpg.glob, "glob", lambda pattern: [])
    assert localpg.start() == 1
    err = capsys.readouterr().err
    assert "apt-get install postgresql postgresql-contrib" in err
    assert "DATABASE_URL" in err


def test_old_postgresql_is_not_used(monkeypatch, tmp_path):
    monkeypatch.setattr(localpg.shutil, "which", lambda name: None)
    monkeypatch.setattr(localpg.glob, "glob", lambda pattern: ["/usr/lib/postgresql/13/bin"])
    monkeypatch.setattr(localpg, "_version", lambda bindir: 13)
    assert localpg.find_bindir() is None


def test_database_url_skips_the_local_cluster(monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgres://example/sipi")
    assert localpg.start() == 0
    assert "not used" in capsys.readouterr().out


def test_socket_path_stays_under_the_unix_limit(monkeypatch):
    deep = Path("/tmp") / ("x" * 120)
    monkeypatch.setattr(localpg, "PGROOT", deep / ".pgdata")
    monkeypatch.setattr(localpg, "BASE_DIR", deep)
    path = localpg.socket_dir() / ".s.PGSQL.5432"
    assert len(str(path)) < 108
    assert localpg.socket_dir() == localpg.socket_dir()  # stable: settings and server agree
