"""Exceptions raised by the embeddings package.

Everything derives from :class:`EmbeddingsError` so callers (the engine) can
catch the whole family in one place and map it to a clear user-facing error.
"""

from __future__ import annotations

__all__ = ["CorruptIndex", "EmbeddingsError", "IndexFileError", "ModelLoadError", "StaleIndex"]


class EmbeddingsError(Exception):
    """Base class for all errors raised by :mod:`embeddings`."""


class ModelLoadError(EmbeddingsError):
    """The embedding model could not be loaded (missing directory, bad files, ...)."""


class IndexFileError(EmbeddingsError):
    """Base class for problems with a persisted vector-index file."""


class StaleIndex(IndexFileError):
    """The index file was built for a different store version; rebuild it."""

    def __init__(self, message: str, *, found: str | None = None, expected: str | None = None) -> None:
        super().__init__(message)
        self.found = found
        self.expected = expected


class CorruptIndex(IndexFileError):
    """The index file is damaged (bad magic, checksum mismatch, truncation, inconsistent sections)."""
