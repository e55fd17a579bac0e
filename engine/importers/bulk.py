"""Bulk import: commit every good record, report every bad one with file and line."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from engine.importers.records import ParsedRecord, RecordError, parse_file
from engine.store import Store, UpsertResult

__all__ = ["ImportReport", "import_files", "import_parsed"]


@dataclass
class ImportReport:
    accepted: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RecordError] = field(default_factory=list)
    written: UpsertResult | None = None

    def summary(self) -> str:
        return (
            f"accepted {self.accepted} records ({self.created} new, {self.updated} updated, "
            f"{self.unchanged} unchanged), rejected {len(self.rejected)}"
        )


def import_parsed(store: Store, items: Iterable[ParsedRecord | RecordError]) -> ImportReport:
    """Validate references across the whole batch, then write the good records in one transaction.

    A record whose reference points at a rejected record is rejected too (loop to a fixed point),
    so what lands is always consistent.
    """
    report = ImportReport()
    good: list[ParsedRecord] = []
    for item in items:
        if isinstance(item, RecordError):
            report.rejected.append(item)
        else:
            good.append(item)
    while good:
        problems = store.check_references([g.record for g in good])
        if not any(problems):
            break
        keep: list[ParsedRecord] = []
        for g, p in zip(good, problems, strict=True):
            if p:
                report.rejected.append(RecordError(g.file, g.line, p))
            else:
                keep.append(g)
        good = keep
    if good:
        res = store.upsert([g.record for g in good])
        report.written = res
        report.created, report.updated, report.unchanged = res.created, res.updated, res.unchanged
    report.accepted = len(good)
    report.rejected.sort(key=lambda e: (e.file, e.line))
    return report


def import_files(store: Store, paths: Sequence[Path]) -> ImportReport:
    def all_items() -> Iterable[ParsedRecord | RecordError]:
        for p in paths:
            if not p.exists():
                yield RecordError(str(p), 0, "file not found")
                continue
            yield from parse_file(p)

    return import_parsed(store, all_items())
