"""Bulk loading through the store API, reporting each bad file or entry and going on with the rest."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kaari.fhir.store import Store, StoreError
from kaari.lib.jsonutil import JsonError, json_loads

BATCH_SIZE = 500
SUFFIXES = (".json", ".ndjson")


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


def files_load(store: Store, files: list[Path], *, progress: Progress | None = None) -> LoadReport:
    report = LoadReport()
    for path in files:
        if not path.exists():
            report.problems.append(LoadProblem(str(path), "", "no such file"))
            continue
        if path.suffix == ".ndjson":
            _ndjson_load(store, path, report, progress)
        elif path.suffix == ".json":
            _json_load(store, path, report, progress)
        else:
            report.problems.append(LoadProblem(str(path), "", "not a .json or .ndjson file"))
    report.finished = time.perf_counter()
    return report


def resources_load(store: Store, resources: Iterable[dict[str, Any]], *, source: str = "<stream>") -> LoadReport:
    """Load resources that carry their own ids (e.g. from a generator), in batches."""
    report = LoadReport()
    batch: list[tuple[str, Any]] = []
    for number, resource in enumerate(resources, start=1):
        batch.append((f"resource {number}", resource))
        if len(batch) >= BATCH_SIZE:
            _batch_load(store, source, batch, report)
            batch = []
    if batch:
        _batch_load(store, source, batch, report)
    report.finished = time.perf_counter()
    return report


def _ndjson_lines(path: Path) -> Iterator[tuple[int, bytes, int]]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            yield number, line, len(line)


def _ndjson_load(store: Store, path: Path, report: LoadReport, progress: Progress | None) -> None:
    batch: list[tuple[str, Any]] = []
    consumed = 0
    for number, line, size in _ndjson_lines(path):
        consumed += size
        if not line.strip():
            continue
        try:
            batch.append((f"line {number}", json_loads(line)))
        except JsonError as exc:
            report.problems.append(LoadProblem(str(path), f"line {number}", str(exc)))
        if len(batch) >= BATCH_SIZE:
            loaded = _batch_load(store, str(path), batch, report)
            batch = []
            if progress:
                progress(consumed, loaded)
            consumed = 0
    loaded = _batch_load(store, str(path), batch, report) if batch else 0
    if progress:
        progress(consumed, loaded)


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


def _json_load(store: Store, path: Path, report: LoadReport, progress: Progress | None) -> None:
    size = path.stat().st_size
    try:
        document = json_loads(path.read_bytes())
    except (JsonError, OSError) as exc:
        report.problems.append(LoadProblem(str(path), "", str(exc)))
        if progress:
            progress(size, 0)
        return
    loaded = 0
    if (
        isinstance(document, dict)
        and document.get("resourceType") == "Bundle"
        and document.get("type")
        in (
            "transaction",
            "batch",
        )
    ):
        loaded = _bundle_load(store, path, document, report)
    elif isinstance(document, dict) and document.get("resourceType") == "Bundle" and "entry" in document:
        entries = document.get("entry") or []
        batch = [(f"entry {i}", e.get("resource") if isinstance(e, dict) else None) for i, e in enumerate(entries)]
        loaded = _batch_load(store, str(path), batch, report)
    else:
        loaded = _batch_load(store, str(path), [("resource", document)], report)
    if progress:
        progress(size, loaded)


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
