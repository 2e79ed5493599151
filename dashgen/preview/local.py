"""A local Prometheus (Debian's `prometheus` and `promtool`) over the synthetic desk (I/O): the preview's data
when no `--prometheus URL` is given, and the real Prometheus `make e2e` checks the board and alerts against.

`synthetic_prometheus` writes the synthetic desk as OpenMetrics, backfills it into TSDB blocks with
`promtool tsdb create-blocks-from openmetrics`, starts `prometheus` on a free loopback port over a copy of them
and yields it; on leaving (also on an exception or Ctrl-C) the process is stopped and the temporary directory
removed.

Backfilled blocks are cached per user (`$XDG_CACHE_HOME/dashgen/preview`, else `~/.cache/dashgen/preview`, mode
0700), keyed by what was generated (catalogue metrics, label values, time window), so a second preview of an
unchanged project only copies and starts. The cache only saves time and never fails a run: an entry is built
beside its place and renamed into it whole (two runs filling it at once: the first rename wins, the other run
uses its own blocks); its `complete` file lists its files, and a copy that does not find them all (an entry
removed while it was read) is a miss, rebuilt. Entries unused for a day are removed, never the one in use."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from dashgen.cache import user_cache_dir
from dashgen.catalogue import Catalogue
from dashgen.errors import DashgenError
from dashgen.preview.synthetic import DEFAULT_DESK, Desk, openmetrics
from dashgen.processes import PROMETHEUS_HINT, find_binary, kill_group, require_binary, stop

CACHE_VERSION = 1  # bump when the generator's output changes
CACHE_MAX_AGE_S = 86400  # an entry unused this long is removed (at the next fill)
MANIFEST = "complete"
READY_TIMEOUT_S = 60.0
STOP_GRACE_S = 15.0  # after SIGTERM, before the kill


def available() -> bool:
    """Whether Prometheus and promtool are installed (on PATH)."""
    return bool(find_binary("prometheus") and find_binary("promtool"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _binary(name: str) -> str:
    return require_binary(name, PROMETHEUS_HINT)


def backfill(openmetrics_file: Path, storage: Path, timeout_s: float = 300) -> None:
    """TSDB blocks of an OpenMetrics file (promtool tsdb create-blocks-from openmetrics); promtool is never left
    running (an interrupt or a timeout kills it)."""
    process = subprocess.Popen([_binary("promtool"), "tsdb", "create-blocks-from", "openmetrics",
                                str(openmetrics_file), str(storage)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        _, stderr = process.communicate(timeout=timeout_s)
    finally:
        if process.poll() is None:
            kill_group(process)
    if process.returncode != 0:
        last = (stderr.strip().splitlines() or ["no message"])[-1]
        raise DashgenError(f"promtool could not backfill the synthetic data: {last}")


def version() -> str:
    """`prometheus --version`'s version (`2.42.0+ds`), or "" when it does not say."""
    done = subprocess.run([_binary("prometheus"), "--version"], capture_output=True, text=True, check=False,
                          timeout=30)
    words = (done.stdout + done.stderr).split()
    return words[words.index("version") + 1] if "version" in words[:-1] else ""


class LocalPrometheus:
    """`prometheus` on 127.0.0.1 over `storage`; always stopped by `stop` (the context manager's exit)."""

    def __init__(self, storage: Path, workdir: Path) -> None:
        self.storage = storage
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = workdir / "prometheus.log"

    def start(self, timeout_s: float = READY_TIMEOUT_S) -> LocalPrometheus:
        import requests

        config = self.workdir / "prometheus.yml"
        config.write_text("global:\n  scrape_interval: 15s\nscrape_configs: []\n")
        with self.log.open("wb") as log:
            # its own session: a Ctrl-C at the terminal reaches dashgen, which stops it (no second message)
            self.process = subprocess.Popen(
                [_binary("prometheus"), f"--config.file={config}", f"--storage.tsdb.path={self.storage}",
                 f"--web.listen-address=127.0.0.1:{self.port}", "--storage.tsdb.retention.time=36500d",
                 "--log.level=warn"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            deadline = time.monotonic() + timeout_s
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    last = (self.log.read_text(errors="replace").strip().splitlines() or ["no output"])[-1]
                    raise DashgenError(f"the local prometheus exited at start: {last[-300:]}")
                try:
                    if requests.get(f"{self.url}/-/ready", timeout=2).status_code == 200:
                        return self
                except requests.RequestException:
                    pass
                time.sleep(0.05)
            raise DashgenError(f"the local prometheus was not ready within {timeout_s:g} s")
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process, grace_s=STOP_GRACE_S)
        self.process = None

    def __enter__(self) -> LocalPrometheus:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


def default_cache_dir() -> Path:
    """The user's own cache: $XDG_CACHE_HOME/dashgen/preview, else ~/.cache/dashgen/preview."""
    return user_cache_dir() / "preview"


def cache_key(catalogue: Catalogue, desk: Desk, domains: Mapping[str, Sequence[str]] | None,
              metrics: Collection[str] | None) -> str:
    """What the blocks are made of: the generator, the window, the label values and the metrics generated."""
    chosen = [m for m in catalogue.metrics.values() if metrics is None or m.name in metrics]
    spec = {"version": CACHE_VERSION, "desk": asdict(desk),
            "domains": {k: list(v) for k, v in sorted((domains or {}).items())},
            "metrics": [[m.name, m.type, m.unit, m.labels, m.help, m.values] for m in chosen]}
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:24]


def _files(directory: Path) -> dict[str, int]:
    """Every file below `directory` (its path relative to it) -> its size."""
    return {path.relative_to(directory).as_posix(): path.stat().st_size
            for path in sorted(directory.rglob("*")) if path.is_file()}


def restore(entry: Path, storage: Path) -> bool:
    """A copy of the cache entry `entry` at `storage`: True when every file its manifest lists arrived whole;
    else (no entry, an entry removed while copied, a short file) False, with nothing left at `storage`."""
    try:
        manifest = json.loads((entry / MANIFEST).read_text())
        shutil.copytree(entry, storage, ignore=shutil.ignore_patterns(MANIFEST))
        if not isinstance(manifest, dict) or _files(storage) != manifest:
            raise OSError("incomplete")
        os.utime(entry)  # in use: not pruned
        return True
    except (OSError, ValueError):  # shutil.Error is an OSError
        shutil.rmtree(storage, ignore_errors=True)
        return False


def store(blocks: Path, cache_dir: Path, key: str) -> None:
    """Best effort (the cache only saves time): the blocks copied beside the entry's place with their manifest,
    then renamed into place whole; a run that renamed first keeps its entry. Old entries are pruned."""
    partial: Path | None = None
    try:
        cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        if hasattr(os, "geteuid") and cache_dir.stat().st_uid == os.geteuid():  # POSIX
            cache_dir.chmod(0o700)
        partial = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=cache_dir))
        shutil.copytree(blocks, partial, dirs_exist_ok=True)
        (partial / MANIFEST).write_text(json.dumps(_files(partial)))
        os.rename(partial, cache_dir / key)  # fails where another run's entry is already there: keep that one
        partial = None
    except OSError:
        pass
    finally:
        if partial is not None:
            shutil.rmtree(partial, ignore_errors=True)
    prune(cache_dir, keep=key)


def prune(cache_dir: Path, keep: str, max_age_s: float = CACHE_MAX_AGE_S) -> None:
    """Remove the entries (and abandoned partial ones) unused for `max_age_s`, never `keep`; never fails."""
    limit = time.time() - max_age_s
    try:
        entries = list(cache_dir.iterdir())
    except OSError:
        return
    for entry in entries:
        try:
            if entry.name != keep and entry.lstat().st_mtime < limit:
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink()
        except OSError:
            pass


def storage_for(catalogue: Catalogue, desk: Desk, domains: Mapping[str, Sequence[str]] | None,
                metrics: Collection[str] | None, work: Path, cache_dir: Path | None) -> Path:
    """`work/tsdb`, holding the backfilled blocks: copied from the cache, else generated (and then cached)."""
    storage = work / "tsdb"
    key = cache_key(catalogue, desk, domains, metrics)
    if cache_dir is not None and restore(cache_dir / key, storage):
        return storage
    data, blocks = work / "desk.om", work / "blocks"
    with data.open("w") as handle:
        for chunk in openmetrics(catalogue, desk, domains, metrics):
            handle.write(chunk)
    backfill(data, blocks)
    data.unlink()
    if cache_dir is not None:
        store(blocks, cache_dir, key)
    blocks.rename(storage)
    return storage


@contextmanager
def synthetic_prometheus(catalogue: Catalogue, desk: Desk = DEFAULT_DESK,
                         domains: Mapping[str, Sequence[str]] | None = None, metrics: Collection[str] | None = None,
                         cache_dir: Path | None = None) -> Iterator[LocalPrometheus]:
    """A ready local Prometheus holding the synthetic desk (see dashgen.preview.synthetic); stopped and its
    temporary directory removed on leaving, whatever happens."""
    work = Path(tempfile.mkdtemp(prefix="dashgen-prometheus-"))
    try:
        storage = storage_for(catalogue, desk, domains, metrics, work, cache_dir)
        with LocalPrometheus(storage, work) as server:
            yield server
    finally:
        shutil.rmtree(work, ignore_errors=True)
