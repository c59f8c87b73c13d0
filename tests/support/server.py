"""A real `reemploi serve` (uvicorn) in a subprocess, for tests that talk to the app over HTTP.

The server runs the production entry point (the `reemploi` console script, or `python -m
reemploi.cli` when the script is not installed) against a database URL given by the caller,
on 127.0.0.1 and a free port. Its output goes to a log file so a failing test can show it.
Nothing here is imported by the application; it is test support only.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

__all__ = ["LiveServer", "ServerDidNotStart"]

_START_TIMEOUT_S = 30.0
_STOP_TIMEOUT_S = 10.0
_PORT_ATTEMPTS = 3


class ServerDidNotStart(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:
    """In the child, before exec: Linux sends SIGTERM when the test process dies, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _serve_command() -> list[str]:
    script = Path(sys.executable).with_name("reemploi")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script), "serve"]
    return [sys.executable, "-m", "reemploi.cli", "serve"]


class LiveServer:
    """`with LiveServer(database_url, workdir) as server:` then `server.url`; always stopped on exit."""

    def __init__(
        self, database_url: str, workdir: Path, *, log_level: str = "warning", env: dict[str, str] | None = None
    ) -> None:
        self.database_url = database_url
        self.env = env or {}
        self.workdir = workdir
        self.log_level = log_level
        self.log_path = workdir / "server.log"
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self, tail: int = 20_000) -> str:
        """The server's stdout+stderr so far (the last `tail` characters)."""
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no server log)"
        return text[-tail:] if len(text) > tail else text

    def start(self) -> LiveServer:
        env = {
            **os.environ,
            "REEMPLOI_DATABASE_URL": self.database_url,
            "REEMPLOI_DATA_DIR": str(self.workdir),
            "REEMPLOI_HOST": "127.0.0.1",
            "REEMPLOI_WORKERS": "1",
            "REEMPLOI_LOG_LEVEL": self.log_level,
            "REEMPLOI_DEBUG": "false",
            "PYTHONUNBUFFERED": "1",
            **self.env,
        }
        atexit.register(self.stop)  # even if a test run is cut short without its finalizers
        last_error = ""
        for _ in range(_PORT_ATTEMPTS):  # a free port can be taken between probing and binding
            self.port = _free_port()
            env["REEMPLOI_PORT"] = str(self.port)
            with self.log_path.open("ab") as log:
                self._process = subprocess.Popen(
                    [*_serve_command(), "--host", "127.0.0.1", "--port", str(self.port)],
                    env=env,
                    cwd=self.workdir,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group: stop() reaches uvicorn's children too
                    preexec_fn=_die_with_parent,
                )
            try:
                self._wait_healthy()
                return self
            except ServerDidNotStart as exc:
                last_error = str(exc)
                self.stop()
                if "address already in use" not in self.log().lower():
                    break
            except BaseException:  # interrupted while waiting: never leave the server behind
                self.stop()
                raise
        raise ServerDidNotStart(f"{last_error}\n--- server log ---\n{self.log()}")

    def _wait_healthy(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + _START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ServerDidNotStart(f"server exited with code {self._process.returncode}")
            try:
                response = httpx.get(f"{self.url}/health", timeout=2.0, trust_env=False)
                if response.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise ServerDidNotStart(f"/health did not answer 200 within {_START_TIMEOUT_S:.0f}s")

    def stop(self) -> None:
        atexit.unregister(self.stop)
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        # Only the group this object started (start_new_session=True made the server its leader).
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=_STOP_TIMEOUT_S)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
