"""Python load generator, used by bench/run.py when `wrk` is not installed.

N keep-alive HTTP/1.1 connections, each sending one GET at a time (closed loop, like wrk) for a
fixed duration, rotating over the lookups in a file. Written on bare asyncio protocols (uvloop when
available) rather than httpx: an httpx client costs several times the CPU per request, and on a
2-core machine the generator competes with the server for it. Prints one JSON line.

    python bench/loadgen.py --port 8000 --lookups codes.txt --seconds 10 --concurrency 32
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time


class _Connection(asyncio.Protocol):
    def __init__(self) -> None:
        self.buffer = bytearray()
        self.waiter: asyncio.Future[int] | None = None
        self.transport: asyncio.Transport | None = None
        self.lost: Exception | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = exc or ConnectionResetError("connection closed by the server")
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(self.lost)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        head_end = self.buffer.find(b"\r\n\r\n")
        if head_end < 0:
            return
        head = bytes(self.buffer[:head_end]).lower()
        start = head.find(b"\r\ncontent-length:")
        if start < 0:
            self._fail(ValueError("response without Content-Length"))
            return
        start += len(b"\r\ncontent-length:")
        end = head.find(b"\r\n", start)
        length = int(head[start : end if end >= 0 else len(head)])
        total = head_end + 4 + length
        if len(self.buffer) < total:
            return
        status = int(head[9:12])
        del self.buffer[:total]
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(status)

    def _fail(self, exc: Exception) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(exc)

    async def request(self, raw: bytes) -> int:
        if self.lost is not None:
            raise self.lost
        self.waiter = asyncio.get_running_loop().create_future()
        assert self.transport is not None
        self.transport.write(raw)
        return await self.waiter


async def _worker(
    host: str, port: int, requests: list[bytes], offset: int, deadline: float, out: dict[str, object]
) -> None:
    loop = asyncio.get_running_loop()
    latencies: list[int] = out["latencies"]  # type: ignore[assignment]
    statuses: dict[int, int] = out["statuses"]  # type: ignore[assignment]
    conn: _Connection | None = None
    i = offset
    n = len(requests)
    while time.perf_counter() < deadline:
        if conn is None or conn.lost is not None:
            try:
                _, conn = await loop.create_connection(_Connection, host, port)
            except OSError:
                out["connect_errors"] = int(out["connect_errors"]) + 1  # type: ignore[call-overload]
                conn = None
                await asyncio.sleep(0.01)
                continue
        i += 1
        started = time.perf_counter_ns()
        try:
            status = await conn.request(requests[i % n])
        except Exception:  # noqa: BLE001 - counted, then a new connection
            out["read_errors"] = int(out["read_errors"]) + 1  # type: ignore[call-overload]
            conn = None
            continue
        latencies.append(time.perf_counter_ns() - started)
        statuses[status] = statuses.get(status, 0) + 1
    if conn is not None and conn.transport is not None:
        conn.transport.close()


def _percentile(sorted_values: list[int], q: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(q / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index] / 1e6


async def run(
    host: str, port: int, paths: list[str], seconds: float, concurrency: int, token: str = ""
) -> dict[str, object]:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    requests = [f"GET {p} HTTP/1.1\r\nHost: {host}:{port}\r\n{auth}\r\n".encode() for p in paths]
    out: dict[str, object] = {"latencies": [], "statuses": {}, "connect_errors": 0, "read_errors": 0}
    started = time.perf_counter()
    deadline = started + seconds
    stride = max(1, len(paths) // concurrency)
    await asyncio.gather(*(_worker(host, port, requests, k * stride, deadline, out) for k in range(concurrency)))
    duration = time.perf_counter() - started
    latencies = sorted(out["latencies"])  # type: ignore[arg-type]
    statuses: dict[int, int] = out["statuses"]  # type: ignore[assignment]
    return {
        "duration_s": duration,
        "requests": len(latencies),
        "ok": statuses.get(200, 0),
        "non_200": sum(v for k, v in statuses.items() if k != 200),
        "socket_errors": int(out["connect_errors"]) + int(out["read_errors"]),  # type: ignore[call-overload]
        "p50_ms": _percentile(latencies, 50),
        "p90_ms": _percentile(latencies, 90),
        "p99_ms": _percentile(latencies, 99),
        "max_ms": latencies[-1] / 1e6 if latencies else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--lookups", required=True, help="file of request paths, one per line")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    with open(args.lookups, encoding="utf-8") as f:
        paths = [line.strip() for line in f if line.strip()]
    try:
        import uvloop

        runner = uvloop.run
    except ImportError:  # pragma: no cover - uvloop comes with uvicorn[standard]
        runner = asyncio.run
    result = runner(run(args.host, args.port, paths, args.seconds, args.concurrency, os.environ.get("BENCH_TOKEN", "")))
    print("BENCH_RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
