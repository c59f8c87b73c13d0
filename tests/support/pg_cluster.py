"""Throwaway PostgreSQL servers for the test suite.

The production engine is PostgreSQL (asyncpg), so tests that exercise real
concurrency, constraints and migrations need a real server, not SQLite.  This
module provides:

* ``PostgresCluster``: initdb + start a private server in a temp dir, listening
  on 127.0.0.1 on a free port (and a unix socket in the temp dir), tuned for
  speed rather than durability, and torn down on ``stop()`` or at interpreter
  exit.  When running as root (CI containers), the server processes run as an
  unprivileged user because PostgreSQL refuses to run as root.
* ``create_database`` / ``drop_database``: work against any server URL (the
  private cluster or a user-supplied ``REEMPLOI_TEST_DATABASE_URL``), so the
  fixtures can create one fresh database per test from a migrated template.
* ``resolve_test_server``: the policy deciding which server the suite uses.

Nothing here is imported by the application; it is test support only.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

__all__ = [
    "NoPostgres",
    "PostgresCluster",
    "create_database",
    "drop_database",
    "resolve_test_server",
]

BINDIR_ENV = "REEMPLOI_PG_BINDIR"
TEST_URL_ENV = "REEMPLOI_TEST_DATABASE_URL"
TMPDIR_ENV = "REEMPLOI_PG_TMPDIR"

# Minimum free space for putting the cluster on /dev/shm (see _tmp_base).
_MIN_SHM_FREE_BYTES = 1 << 30

# Binaries without which we cannot run a server at all.
_REQUIRED_BINARIES = ("initdb", "pg_ctl", "postgres")

# pg_ctl's own wait (slow CI machines can take a while on first start), then
# a shorter, independent readiness check through pg_isready.
_PG_CTL_TIMEOUT_S = 60
_READY_TIMEOUT_S = 30

# Unix socket paths are limited to ~107 bytes (sun_path); keep a margin for
# the ".s.PGSQL.NNNNN" file name postgres appends.
_MAX_SOCKET_DIR_LEN = 80

# Durability is irrelevant for a throwaway server; these make initdb, CREATE
# DATABASE and every commit much cheaper.  jit=off because JIT compilation
# costs far more than it saves on the tiny queries tests run.
_SERVER_SETTINGS: dict[str, str] = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "64MB",
    "jit": "off",
    # Keep the test log readable and small.
    "logging_collector": "off",
    "log_min_messages": "warning",
}


# Runs in a separate process (see PostgresCluster._spawn_watchdog).  It blocks
# reading stdin, a pipe whose write end only the test process holds (plus
# any children it fork()s without exec): EOF means that process called
# stop() or died, however it died, SIGKILL included.  It then stops
# the server if it is still there and deletes the temp dir.
_WATCHDOG_SOURCE = r"""
import os, shutil, subprocess, sys
sys.stdin.buffer.read()
tmp, stop_cmd = sys.argv[1], sys.argv[2:]
if os.path.exists(os.path.join(tmp, "data", "postmaster.pid")):
    try:
        subprocess.run(stop_cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60)
    except Exception:
        pass
shutil.rmtree(tmp, ignore_errors=True)
"""


class NoPostgres(Exception):
    """No usable PostgreSQL server: neither binaries nor a configured URL."""


class PostgresError(RuntimeError):
    """A PostgreSQL tool (initdb, pg_ctl, psql...) failed."""


# --------------------------------------------------------------------------
# Running commands, possibly as an unprivileged user
# --------------------------------------------------------------------------


def _unprivileged_user() -> pwd.struct_passwd | None:
    """The account to run server processes as, or None to run as ourselves.

    PostgreSQL refuses to start as root, and CI runs as root.
    """
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise PostgresError(
        "running as root but neither a 'postgres' nor a 'nobody' user exists; PostgreSQL cannot run as root"
    )


def _as_user(cmd: list[str], user: pwd.struct_passwd | None) -> list[str]:
    """Wrap ``cmd`` so that it runs as ``user`` (no-op when user is None)."""
    if user is None:
        return cmd
    if runuser := shutil.which("runuser"):
        return [runuser, "-u", user.pw_name, "--", *cmd]
    if setpriv := shutil.which("setpriv"):
        return [
            setpriv,
            f"--reuid={user.pw_uid}",
            f"--regid={user.pw_gid}",
            "--init-groups",
            "--",
            *cmd,
        ]
    if su := shutil.which("su"):
        # -s because 'nobody' usually has a nologin shell.
        return [su, "-s", "/bin/sh", user.pw_name, "-c", shlex.join(cmd)]
    raise PostgresError("running as root but none of runuser, setpriv, su is available")


def _clean_env() -> dict[str, str]:
    """Our environment minus libpq/server variables (PGDATA, PGPORT, PGOPTIONS...).

    A developer's shell may point them at another server; the private
    cluster must not pick them up.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    # Server messages in English so errors/log tails are greppable.
    env["LC_MESSAGES"] = "C"
    return env


def _run(
    cmd: list[str],
    *,
    user: pwd.struct_passwd | None = None,
    cwd: Path | None = None,
    input: str | None = None,
    timeout: float = 120,
    what: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a command, raising PostgresError with its output if it fails."""
    full = _as_user(cmd, user)
    try:
        proc = subprocess.run(
            full,
            cwd=cwd,
            env=_clean_env(),
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            # Never let a child inherit our stdin (pytest's capture, a TTY).
            stdin=None if input is not None else subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        raise PostgresError(f"{what or cmd[0]} timed out after {timeout}s: {shlex.join(full)}") from exc
    if proc.returncode != 0:
        raise PostgresError(
            f"{what or cmd[0]} failed (exit {proc.returncode}): {shlex.join(full)}\n"
            f"--- stdout ---\n{proc.stdout.strip()}\n--- stderr ---\n{proc.stderr.strip()}"
        )
    return proc


def _free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now.

    There is a small race between closing this socket and postgres binding
    the port; start() retries with a new port if that race is lost.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _traversable_by(path: Path, user: pwd.struct_passwd | None) -> bool:
    """Whether ``user`` can reach (search) every directory of ``path``."""
    if user is None:
        return True
    for d in [path, *path.parents]:
        try:
            st = d.stat()
        except OSError:
            return False
        if st.st_uid == user.pw_uid:
            ok = st.st_mode & 0o100
        elif st.st_gid == user.pw_gid:
            ok = st.st_mode & 0o010
        else:
            ok = st.st_mode & 0o001
        if not ok:
            return False
    return True


def _version_key(bindir: Path) -> tuple[int, ...]:
    """Sort key for /usr/lib/postgresql/<version>/bin (numeric, not lexical: 9 < 15)."""
    return tuple(int(p) for p in re.findall(r"\d+", bindir.parent.name)) or (0,)


def _has_server_binaries(bindir: Path) -> bool:
    return all(os.access(bindir / b, os.X_OK) for b in _REQUIRED_BINARIES)


# --------------------------------------------------------------------------
# The cluster
# --------------------------------------------------------------------------


class PostgresCluster:
    """A private, disposable PostgreSQL server (one per test session).

    Superuser is ``postgres`` with trust authentication; it listens on
    127.0.0.1:``port`` and on a unix socket in its temp dir.
    """

    SUPERUSER = "postgres"

    @classmethod
    def find_binaries(cls) -> Path | None:
        """Locate a bindir holding initdb, pg_ctl and postgres, or return None.

        Order: $REEMPLOI_PG_BINDIR (an invalid value is an error, not a silent
        fallback), then Debian/Ubuntu /usr/lib/postgresql/<v>/bin and RHEL
        /usr/pgsql-<v>/bin (newest first), then ``pg_config --bindir``, then
        initdb on PATH.
        """
        if env := os.environ.get(BINDIR_ENV):
            bindir = Path(env)
            if not _has_server_binaries(bindir):
                raise NoPostgres(f"{BINDIR_ENV}={env} does not contain executable {', '.join(_REQUIRED_BINARIES)}")
            return bindir

        candidates = sorted(
            (p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")),
            key=_version_key,
            reverse=True,
        )
        candidates += sorted(
            (p.parent for p in Path("/usr").glob("pgsql-*/bin/initdb")),
            key=_version_key,
            reverse=True,
        )
        if pg_config := shutil.which("pg_config"):
            try:
                out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=10)
                if out.returncode == 0 and out.stdout.strip():
                    candidates.append(Path(out.stdout.strip()))
            except (OSError, subprocess.TimeoutExpired):
                pass
        if initdb := shutil.which("initdb"):
            candidates.append(Path(initdb).resolve().parent)

        for bindir in candidates:
            # pg_config may come from libpq-dev and point at a dir without a server.
            if _has_server_binaries(bindir):
                return bindir
        return None

    def __init__(self, bindir: Path) -> None:
        self.bindir = Path(bindir)
        self._user = _unprivileged_user()
        self._tmpdir: Path | None = None
        self._port: int | None = None
        self._running = False
        # atexit handlers are inherited by fork()ed children; only the process
        # that started the server may stop it.
        self._owner_pid: int | None = None
        self._watchdog: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    # -- paths -------------------------------------------------------------

    def _bin(self, name: str) -> str:
        return str(self.bindir / name)

    @property
    def tmpdir(self) -> Path:
        if self._tmpdir is None:
            raise RuntimeError("cluster not started")
        return self._tmpdir

    @property
    def datadir(self) -> Path:
        return self.tmpdir / "data"

    @property
    def socket_dir(self) -> Path:
        return self.tmpdir

    @property
    def logfile(self) -> Path:
        # Outside the data dir (so initdb sees an empty/nonexistent data dir)
        # but in a directory the server user owns, so pg_ctl can create it.
        return self.tmpdir / "server.log"

    @property
    def port(self) -> int:
        if self._port is None or not self._running:
            raise RuntimeError("cluster not started")
        return self._port

    # -- lifecycle ---------------------------------------------------------

    def _make_tmpdir(self) -> Path:
        tmp = Path(tempfile.mkdtemp(prefix="reemploi-pg-", dir=self._tmp_base()))
        if self._user is not None:
            os.chown(tmp, self._user.pw_uid, self._user.pw_gid)
        return tmp

    def _tmp_base(self) -> Path:
        """Where to create the cluster's temp dir.

        $REEMPLOI_PG_TMPDIR if set; else /dev/shm when it is a roomy RAM
        filesystem: even with fsync=off, a disk-backed data dir made CREATE
        DATABASE ... TEMPLATE ~10x slower (~450 ms vs ~40 ms) on the dev VM,
        and that runs once per test.  Docker's default /dev/shm is only 64 MB,
        too small for a cluster, hence the free-space check.  Else the usual
        temp dir, or /tmp when that one is unreachable by the server user or
        too long for a unix socket path.
        """
        if env := os.environ.get(TMPDIR_ENV):
            return Path(env)
        candidates = [Path("/dev/shm"), Path(tempfile.gettempdir()), Path("/tmp")]
        for i, base in enumerate(candidates):
            try:
                st = os.statvfs(base)
            except OSError:
                continue
            if i == 0 and st.f_bavail * st.f_frsize < _MIN_SHM_FREE_BYTES:
                continue
            if (
                os.access(base, os.W_OK | os.X_OK)
                and len(str(base)) <= _MAX_SOCKET_DIR_LEN - 30
                and _traversable_by(base, self._user)
            ):
                return base
        return Path("/tmp")

    def _initdb(self) -> None:
        base_cmd = [
            self._bin("initdb"),
            "-D",
            str(self.datadir),
            "-A",
            "trust",
            "-U",
            self.SUPERUSER,
            "--encoding=UTF8",
            # No fsync of the fresh cluster: it is thrown away anyway.
            "--no-sync",
        ]
        last_error: PostgresError | None = None
        # C.UTF-8 gives UTF-8 character classification with C collation; it
        # is missing on some systems (older glibc, macOS), where plain C works.
        for locale in ("C.UTF-8", "C"):
            try:
                _run([*base_cmd, f"--locale={locale}"], user=self._user, cwd=self.tmpdir, what="initdb")
                return
            except PostgresError as exc:
                last_error = exc
                shutil.rmtree(self.datadir, ignore_errors=True)
        assert last_error is not None
        raise last_error

    def _write_settings(self) -> None:
        # Appended to postgresql.conf (later entries win) rather than passed
        # on the command line, so a manual `pg_ctl start` on a kept data dir
        # behaves the same when debugging.
        conf = self.datadir / "postgresql.conf"
        with conf.open("a", encoding="utf-8") as f:
            f.write("\n# reemploi test settings: speed over durability\n")
            for key, value in _SERVER_SETTINGS.items():
                f.write(f"{key} = '{value}'\n")

    def _log_tail(self, lines: int = 40) -> str:
        try:
            text = self.logfile.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            return f"(no server log: {exc})"
        return "\n".join(text.splitlines()[-lines:])

    def _pg_ctl_start(self, port: int) -> None:
        # pg_ctl hands -o to /bin/sh, so quote each value.
        opts = " ".join(
            [
                "-p",
                str(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                shlex.quote(f"unix_socket_directories={self.socket_dir}"),
            ]
        )
        _run(
            [
                self._bin("pg_ctl"),
                "-D",
                str(self.datadir),
                "-l",
                str(self.logfile),
                "-w",
                "-t",
                str(_PG_CTL_TIMEOUT_S),
                "-o",
                opts,
                "start",
            ],
            user=self._user,
            cwd=self.tmpdir,
            timeout=_PG_CTL_TIMEOUT_S + 15,
            what="pg_ctl start",
        )

    def _wait_ready(self, port: int) -> None:
        """Block until the server accepts TCP connections, or raise."""
        deadline = time.monotonic() + _READY_TIMEOUT_S
        pg_isready = self.bindir / "pg_isready"
        while True:
            if os.access(pg_isready, os.X_OK):
                rc = subprocess.run(
                    [str(pg_isready), "-q", "-h", "127.0.0.1", "-p", str(port), "-U", self.SUPERUSER, "-d", "postgres"],
                    env=_clean_env(),
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    timeout=10,
                ).returncode
                ready = rc == 0
            else:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        ready = True
                except OSError:
                    ready = False
            if ready:
                return
            if time.monotonic() > deadline:
                raise PostgresError(
                    f"PostgreSQL on 127.0.0.1:{port} not accepting connections after "
                    f"{_READY_TIMEOUT_S}s\n--- server log tail ({self.logfile}) ---\n{self._log_tail()}"
                )
            time.sleep(0.1)

    def start(self) -> None:
        """initdb a fresh cluster in a temp dir and start it; idempotent."""
        with self._lock:
            if self._running:
                return
            self._tmpdir = self._make_tmpdir()
            self._owner_pid = os.getpid()
            # Register before starting so that even a failure half-way leaves
            # no server or temp dir behind.
            atexit.register(self._atexit_stop)
            # atexit does not run on SIGKILL/SIGTERM (CI timeouts, an IDE's
            # stop button); the watchdog covers those.  It matters more since
            # the data dir usually lives in /dev/shm, i.e. in RAM.
            self._spawn_watchdog()
            try:
                self._initdb()
                self._write_settings()
                self._start_on_free_port()
            except BaseException:
                self._stop_locked()
                raise

    def _start_on_free_port(self) -> None:
        attempts = 3
        for attempt in range(1, attempts + 1):
            port = _free_port()
            try:
                self._pg_ctl_start(port)
            except PostgresError as exc:
                log = self._log_tail()
                # Someone grabbed the port between _free_port() and bind().
                if ("could not bind" in log or "Address already in use" in log) and attempt < attempts:
                    continue
                raise PostgresError(f"{exc}\n--- server log tail ({self.logfile}) ---\n{log}") from None
            self._port = port
            self._running = True
            self._wait_ready(port)
            return

    def _stop_cmd(self, data: Path) -> list[str]:
        # Immediate: no checkpoint, we are deleting the data anyway.
        return _as_user(
            [self._bin("pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "-t", "30", "stop"],
            self._user,
        )

    def _spawn_watchdog(self) -> None:
        try:
            self._watchdog = subprocess.Popen(
                [sys.executable, "-c", _WATCHDOG_SOURCE, str(self.tmpdir), *self._stop_cmd(self.datadir)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=self.tmpdir,
                env=_clean_env(),
                # Own session: a Ctrl-C in the terminal must not kill the
                # watchdog before it has cleaned up.
                start_new_session=True,
            )
        except OSError:
            # Best effort: atexit still covers ordinary exits.
            self._watchdog = None

    def _release_watchdog(self) -> None:
        wd, self._watchdog = self._watchdog, None
        if wd is None:
            return
        try:
            assert wd.stdin is not None
            wd.stdin.close()  # EOF: it finds nothing left to clean and exits
            wd.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            wd.kill()

    def stop(self) -> None:
        """Stop the server immediately and delete its temp dir; idempotent."""
        with self._lock:
            self._stop_locked()

    def _atexit_stop(self) -> None:
        if os.getpid() == self._owner_pid:
            self.stop()

    def _stop_locked(self) -> None:
        tmp = self._tmpdir
        if tmp is None:
            return
        data = tmp / "data"
        if (data / "postmaster.pid").exists():
            try:
                _run(self._stop_cmd(data), cwd=tmp, timeout=45, what="pg_ctl stop")
            except (PostgresError, OSError):
                self._kill_postmaster(data)
        shutil.rmtree(tmp, ignore_errors=True)
        self._release_watchdog()
        self._tmpdir = None
        self._port = None
        self._running = False
        try:
            atexit.unregister(self._atexit_stop)
        except Exception:  # noqa: BLE001 pragma: no cover - atexit never raises here in practice
            pass

    @staticmethod
    def _kill_postmaster(data: Path) -> None:
        """Last resort when pg_ctl stop fails: SIGQUIT (= immediate) the postmaster."""
        try:
            pid = int((data / "postmaster.pid").read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return
        try:
            os.kill(pid, signal.SIGQUIT)
        except ProcessLookupError:
            return
        # Children exit on their own once the postmaster is gone.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def __enter__(self) -> PostgresCluster:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- clients -----------------------------------------------------------

    def url(self, database: str = "postgres", driver: str = "postgresql+asyncpg") -> str:
        """SQLAlchemy URL for ``database`` as the superuser over TCP."""
        return f"{driver}://{self.SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run ``sql`` (one or more statements) with psql; return its stdout.

        Output is unaligned, tuples only (``-At``), so a single value comes
        back as that value plus a newline.  Statements run one by one (fed
        on stdin, not -c), so CREATE/DROP DATABASE may appear among others.
        Connects over TCP with trust auth, so no need to switch users.
        """
        return _run(
            [
                self._bin("psql"),
                "-X",  # ignore ~/.psqlrc
                "-q",
                "-At",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                self.SUPERUSER,
                "-d",
                database,
                "-f",
                "-",
            ],
            input=sql,
            timeout=300,
            what="psql",
        ).stdout


# --------------------------------------------------------------------------
# Database helpers, against any server
# --------------------------------------------------------------------------

_T = TypeVar("_T")


def _run_coro_in_thread(coro: Coroutine[Any, Any, _T]) -> _T:
    """Run ``coro`` to completion on a fresh event loop in a separate thread.

    Always a thread, even when no loop is running: asyncio.run() in the main
    thread would replace (then unset) the thread's current event loop, which
    pytest-asyncio manages, and it cannot be called from inside a running loop.
    """
    result: list[_T] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(asyncio.run(coro))
        except BaseException as exc:  # noqa: BLE001 re-raised in the caller's thread
            error.append(exc)

    thread = threading.Thread(target=target, name="pg-admin", daemon=True)
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0]


def _connect_kwargs(url: str) -> dict[str, Any]:
    """asyncpg.connect() arguments for a SQLAlchemy-style URL.

    Built from the parsed components rather than by rewriting the string,
    so percent-encoded passwords survive and SQLAlchemy-only query options
    (prepared_statement_cache_size...) do not reach asyncpg.
    """
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.get_backend_name() != "postgresql":
        raise ValueError(f"not a PostgreSQL URL: {u.render_as_string(hide_password=True)}")
    kwargs: dict[str, Any] = {
        "user": u.username,
        "password": u.password,
        "host": u.host,
        "port": u.port,
        "database": u.database,
    }
    query = u.query
    # Unix-socket URLs: postgresql+asyncpg://user@/db?host=/var/run/postgresql&port=5433
    if "host" in query and not u.host:
        host = query["host"]
        kwargs["host"] = host if isinstance(host, str) else host[0]
    if "port" in query and not u.port:
        port = query["port"]
        kwargs["port"] = int(port if isinstance(port, str) else port[0])
    for key in ("ssl", "sslmode"):
        if key in query:
            value = query[key]
            kwargs["ssl"] = value if isinstance(value, str) else value[0]
    return {k: v for k, v in kwargs.items() if v is not None}


def _quote_ident(name: str) -> str:
    if not name or "\x00" in name:
        raise ValueError(f"invalid database name: {name!r}")
    return '"' + name.replace('"', '""') + '"'


async def _execute(admin_url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(**_connect_kwargs(admin_url), timeout=30)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def create_database(
    admin_url: str,
    name: str,
    template: str | None = None,
    *,
    strategy: str | None = None,
) -> None:
    """CREATE DATABASE ``name`` [TEMPLATE ``template``] on the server of ``admin_url``.

    ``strategy`` ("WAL_LOG" or "FILE_COPY", PostgreSQL >= 15 only) chooses
    how the template is copied; None leaves the server default (WAL_LOG on
    15+).  FILE_COPY was ~30% faster for a small template on tmpfs.

    Connects to the database named in ``admin_url``, which therefore must not
    be ``template`` itself: PostgreSQL refuses to copy a database that has
    any other connection open ("source database ... is being accessed by
    other users"), so dispose engines on the template before copying it.
    Safe to call from inside a running event loop.
    """
    sql = f"CREATE DATABASE {_quote_ident(name)}"
    if template is not None:
        sql += f" TEMPLATE {_quote_ident(template)}"
    if strategy is not None:
        if strategy.upper() not in ("WAL_LOG", "FILE_COPY"):
            raise ValueError(f"unknown CREATE DATABASE strategy: {strategy!r}")
        sql += f" STRATEGY {strategy.upper()}"
    _run_coro_in_thread(_execute(admin_url, sql))


def drop_database(admin_url: str, name: str) -> None:
    """DROP DATABASE IF EXISTS ``name`` WITH (FORCE) (terminates its sessions; PG >= 13).

    Safe to call from inside a running event loop.
    """
    _run_coro_in_thread(_execute(admin_url, f"DROP DATABASE IF EXISTS {_quote_ident(name)} WITH (FORCE)"))


# --------------------------------------------------------------------------
# Policy
# --------------------------------------------------------------------------


def resolve_test_server() -> tuple[str, PostgresCluster | None]:
    """Pick the server the test suite uses: (admin URL, cluster to stop or None).

    1. $REEMPLOI_TEST_DATABASE_URL if set (the caller owns that server);
    2. otherwise a private cluster from the local PostgreSQL binaries;
    3. otherwise raise NoPostgres (the conftest decides skip vs fail; CI fails).
    """
    if url := os.environ.get(TEST_URL_ENV):
        return url, None
    bindir = PostgresCluster.find_binaries()
    if bindir is None:
        raise NoPostgres(
            "No PostgreSQL server binaries found (looked in "
            f"${BINDIR_ENV}, /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin, "
            f"`pg_config --bindir`, PATH) and {TEST_URL_ENV} is not set.\n"
            "Fix one of:\n"
            "  * install a server: apt-get install postgresql (the service need not run; "
            "the tests start their own private server);\n"
            f"  * point {BINDIR_ENV} at a directory containing initdb, pg_ctl and postgres;\n"
            f"  * set {TEST_URL_ENV}=postgresql+asyncpg://user:password@host:port/postgres "
            "(a role allowed to CREATE/DROP DATABASE)."
        )
    cluster = PostgresCluster(bindir)
    cluster.start()
    return cluster.url(), cluster
