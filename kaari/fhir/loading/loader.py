"""Bulk loading through the store API, reporting each bad file or entry and going on with the rest."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connections

from kaari.fhir.store import Store, StoreError
from kaari.lib.jsonutil import JsonError, json_loads

BATCH_SIZE = 500
CHUNK_BYTES = 4 * 1024 * 1024
SUFFIXES = (".json", ".ndjson")


def loader_store() -> Store:
    """The store bulk loads write through: the system itself, behind the access gate that logs every batch."""
    from kaari.access.services import system_store

    return system_store("load")


def default_jobs() -> int:
    # SQLite has one writer at a time; more processes would only wait for each other.
    return (os.cpu_count() or 1) if connections["default"].vendor == "postgresql" else 1


@dataclass(frozen=True)
class LoadProblem:
    file: str
    entry: str  # "line 12", "entry 3", or "" for the whole file
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.entry}" if self.entry else self.file
        return f"{where}: {self.message}"


@dataclass
class LoadReport:
    loaded: int = 0
    problems: list[LoadProblem] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)
    finished: float | None = None

    @property
    def seconds(self) -> float:
        return (self.finished or time.perf_counter()) - self.started

    @property
    def rate(self) -> float:
        return self.loaded / self.seconds if self.seconds > 0 else 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


Progress = Callable[[int, int], None]  # (bytes consumed, resources loaded since last call)


def files_collect(paths: Iterable[str | Path]) -> list[Path]:
    """The data files named, directories expanded to every .json and .ndjson file in them, in a stable order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES))
        else:
            files.append(path)
    return files


@dataclass(frozen=True)
class WorkItem:
    """A unit of loading work: a whole .json file, or a byte range of an .ndjson file starting at a line."""

    path: str
    start: int = 0
    end: int = -1
    first_line: int = 1


def work_items(files: list[Path], *, chunk_bytes: int = CHUNK_BYTES) -> tuple[list[WorkItem], list[LoadProblem]]:
    """Split the files into work items; NDJSON is cut at line boundaries into chunks of about `chunk_bytes`."""
    items: list[WorkItem] = []
    problems: list[LoadProblem] = []
    for path in files:
        if not path.exists():
            problems.append(LoadProblem(str(path), "", "no such file"))
        elif path.suffix == ".json":
            items.append(WorkItem(str(path)))
        elif path.suffix == ".ndjson":
            data = path.read_bytes()
            start, line = 0, 1
            while start < len(data):
                cut = data.find(b"\n", min(start + chunk_bytes, len(data)) - 1)
                end = len(data) if cut < 0 else cut + 1
                items.append(WorkItem(str(path), start, end, line))
                line += data.count(b"\n", start, end)
                start = end
        else:
            problems.append(LoadProblem(str(path), "", "not a .json or .ndjson file"))
    return items, problems


def item_load(store: Store, item: WorkItem) -> tuple[int, list[LoadProblem], int]:
    """Load one work item: (resources loaded, problems, bytes consumed)."""
    report = LoadReport()
    path = Path(item.path)
    if path.suffix == ".json":
        _json_load(store, path, report)
        return report.loaded, report.problems, path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(item.start)
        data = handle.read(item.end - item.start)
    _ndjson_load(store, item.path, data.splitlines(), item.first_line, report)
    return report.loaded, report.problems, len(data)


def files_load(
    store_factory: Callable[[], Store], files: list[Path], *, jobs: int = 1, progress: Progress | None = None
) -> LoadReport:
    """Load the files through the store API, in `jobs` processes when more than one."""
    report = LoadReport()
    items, report.problems = work_items(files)
    # Inside a transaction the work must stay on this connection to be part of it.
    if jobs <= 1 or len(items) <= 1 or connections["default"].in_atomic_block:
        store = store_factory()
        results: Iterable[tuple[int, list[LoadProblem], int]] = (item_load(store, item) for item in items)
        _results_collect(results, report, progress)
    else:
        # Each process opens its own database connection; none may be inherited across the fork.
        connections.close_all()
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs, initializer=_worker_start, initargs=(store_factory,)) as pool:
            _results_collect(pool.imap_unordered(_worker_load, items), report, progress)
    report.finished = time.perf_counter()
    return report


def _results_collect(
    results: Iterable[tuple[int, list[LoadProblem], int]], report: LoadReport, progress: Progress | None
) -> None:
    for loaded, problems, size in results:
        report.loaded += loaded
        report.problems.extend(problems)
        if progress:
            progress(size, loaded)


_worker_store: Store | None = None


def _worker_start(store_factory: Callable[[], Store]) -> None:
    global _worker_store
    _worker_store = store_factory()


def _worker_load(item: WorkItem) -> tuple[int, list[LoadProblem], int]:
    assert _worker_store is not None
    return item_load(_worker_store, item)


def resources_load(
    store_factory: Callable[[], Store],
    resources: Iterable[dict[str, Any]],
    *,
    jobs: int = 1,
    source: str = "<stream>",
    progress: Progress | None = None,
) -> LoadReport:
    """Load resources that carry their own ids (e.g. from a generator) in batches, in `jobs` processes."""
    report = LoadReport()
    batches = _batches(resources)
    if jobs <= 1 or connections["default"].in_atomic_block:
        store = store_factory()
        results: Iterable[tuple[int, list[LoadProblem], int]] = (
            _numbered_batch_load(store, source, batch) for batch in batches
        )
        _results_collect(results, report, progress)
    else:
        connections.close_all()
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs, initializer=_worker_start, initargs=(store_factory,)) as pool:
            work = ((source, batch) for batch in batches)
            _results_collect(pool.imap(_worker_batch_load, work, chunksize=1), report, progress)
    report.finished = time.perf_counter()
    return report


def _batches(resources: Iterable[dict[str, Any]]) -> Iterator[list[tuple[str, Any]]]:
    batch: list[tuple[str, Any]] = []
    for number, resource in enumerate(resources, start=1):
        batch.append((f"resource {number}", resource))
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _numbered_batch_load(store: Store, source: str, batch: list[tuple[str, Any]]) -> tuple[int, list[LoadProblem], int]:
    report = LoadReport()
    _batch_load(store, source, batch, report)
    return report.loaded, report.problems, len(batch)


def _worker_batch_load(work: tuple[str, list[tuple[str, Any]]]) -> tuple[int, list[LoadProblem], int]:
    assert _worker_store is not None
    return _numbered_batch_load(_worker_store, *work)


def _ndjson_load(store: Store, source: str, lines: list[bytes], first_line: int, report: LoadReport) -> None:
    batch: list[tuple[str, Any]] = []
    for number, line in enumerate(lines, start=first_line):
        if not line.strip():
            continue
        try:
            batch.append((f"line {number}", json_loads(line)))
        except JsonError as exc:
            report.problems.append(LoadProblem(source, f"line {number}", str(exc)))
        if len(batch) >= BATCH_SIZE:
            _batch_load(store, source, batch, report)
            batch = []
    if batch:
        _batch_load(store, source, batch, report)


def _batch_load(store: Store, source: str, batch: list[tuple[str, Any]], report: LoadReport) -> int:
    outcomes = store.load([resource for _, resource in batch])
    loaded = 0
    for outcome in outcomes:
        if outcome.error is not None:
            report.problems.append(LoadProblem(source, batch[outcome.index][0], _describe(outcome.error)))
        else:
            loaded += 1
    report.loaded += loaded
    return loaded


def _describe(error: StoreError) -> str:
    details = "; ".join(
        f"{issue.expression}: {issue.diagnostics}" if issue.expression else issue.diagnostics for issue in error.issues
    )
    return f"{error.message} ({details})" if details and details != error.message else error.message


def _json_load(store: Store, path: Path, report: LoadReport) -> None:
    try:
        document = json_loads(path.read_bytes())
    except (JsonError, OSError) as exc:
        report.problems.append(LoadProblem(str(path), "", str(exc)))
        return
    if (
        isinstance(document, dict)
        and document.get("resourceType") == "Bundle"
        and document.get("type")
        in (
            "transaction",
            "batch",
        )
    ):
        _bundle_load(store, path, document, report)
    elif isinstance(document, dict) and document.get("resourceType") == "Bundle" and "entry" in document:
        entries = document.get("entry") or []
        batch = [(f"entry {i}", e.get("resource") if isinstance(e, dict) else None) for i, e in enumerate(entries)]
        _batch_load(store, str(path), batch, report)
    else:
        _batch_load(store, str(path), [("resource", document)], report)


def _bundle_load(store: Store, path: Path, bundle: dict[str, Any], report: LoadReport) -> int:
    try:
        if bundle["type"] == "transaction":
            response = store.transaction(bundle, base_url="")
        else:
            response = store.batch(bundle, base_url="")
    except StoreError as exc:
        entry = exc.issues[0].expression.split(".resource")[0] if exc.issues and exc.issues[0].expression else ""
        report.problems.append(LoadProblem(str(path), entry.replace("Bundle.", ""), _describe(exc)))
        return 0
    loaded = 0
    for index, entry in enumerate(response.get("entry", [])):
        status = str(entry.get("response", {}).get("status", ""))
        if status.startswith("2"):
            loaded += 1
        else:
            outcome = entry.get("response", {}).get("outcome", {})
            message = "; ".join(i.get("diagnostics", "") for i in outcome.get("issue", [])) or status
            report.problems.append(LoadProblem(str(path), f"entry {index}", message))
    report.loaded += loaded
    return loaded
