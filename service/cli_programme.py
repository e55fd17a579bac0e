"""CLI commands of the mobility programme: succession, mentors, opportunities, reports."""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this module's subcommands to the `skillgraph` parser."""
