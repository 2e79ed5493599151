"""A real Prometheus (Debian's package) on 127.0.0.1 over backfilled storage; always stopped, also on failure."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import requests

# every e2e module: `make e2e` runs them; skipped (saying why) without Debian's prometheus, unless CI requires it
E2E = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not (shutil.which("prometheus") and shutil.which("promtool"))
        and os.environ.get("DASHGEN_REQUIRE_PROMTOOL") != "1",
        reason="Debian's prometheus package is not installed (apt-get install -y prometheus)",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def backfill(openmetrics_file: Path, storage: Path) -> None:
    promtool = shutil.which("promtool")
    assert promtool, "promtool is not installed"
    done = subprocess.run([promtool, "tsdb", "create-blocks-from", "openmetrics", str(openmetrics_file),
                           str(storage)], capture_output=True, text=True, check=False, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"promtool backfill failed: {done.stderr[-2000:]}")


class RealPrometheus:
    def __init__(self, storage: Path, workdir: Path) -> None:
        self.storage = storage
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = workdir / "prometheus.log"

    def start(self, timeout_s: float = 60) -> RealPrometheus:
        binary = shutil.which("prometheus")
        assert binary, "prometheus is not installed"
        config = self.workdir / "prometheus.yml"
        config.write_text("global:\n  scrape_interval: 15s\nscrape_configs: []\n")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [binary, f"--config.file={config}", f"--storage.tsdb.path={self.storage}",
                 f"--web.listen-address=127.0.0.1:{self.port}", "--storage.tsdb.retention.time=36500d",
                 "--log.level=warn"],
                stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"prometheus exited: {self.log.read_text()[-2000:]}")
            try:
                if requests.get(f"{self.url}/-/ready", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("prometheus did not become ready")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None

    def __enter__(self) -> RealPrometheus:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _get(self, path: str, params: Any) -> Any:
        response = requests.get(self.url + path, params=params, timeout=30)
        body = response.json()
        if response.status_code != 200 or body.get("status") != "success":
            raise AssertionError(f"{path} {params}: {response.status_code} {body.get('error', body)}")
        return body["data"]

    def query_range(self, expr: str, start: int, end: int, step: int) -> list[Any]:
        data = self._get("/api/v1/query_range", {"query": expr, "start": start, "end": end, "step": step})
        return list(data["result"])

    def query(self, expr: str, at: int) -> list[Any]:
        return list(self._get("/api/v1/query", {"query": expr, "time": at})["result"])

    def label_values(self, label: str, match: str, start: int, end: int) -> list[str]:
        """As Grafana runs label_values(match, label) against Prometheus."""
        return list(self._get(f"/api/v1/label/{label}/values", {"match[]": match, "start": start, "end": end}))
