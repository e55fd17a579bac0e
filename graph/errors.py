"""Exceptions raised by :mod:`graph`.

The package knows nothing about HTTP or the engine's error tree; the engine
catches these and re-raises its own (``engine.errors.RoleNotFound`` etc.).

    GraphError
    ├── RoleNotFound   (also a KeyError) a role id is not a node of the graph
    └── NoRoute        no path between two roles (or none within the cutoff)

Examples
--------
>>> str(RoleNotFound("r-42"))
"role 'r-42' is not in the role graph"
>>> str(NoRoute("r-1", "r-2"))
"no route from role 'r-1' to role 'r-2'"
"""

from __future__ import annotations

__all__ = ["GraphError", "NoRoute", "RoleNotFound"]


class GraphError(Exception):
    """Base class of every error raised by the graph package."""


class RoleNotFound(GraphError, KeyError):
    """A role id is not a node of the role graph.

    Subclasses :class:`KeyError` so that mapping-style callers keep working, but
    ``str()`` gives the plain message rather than KeyError's quoted repr.

    Parameters
    ----------
    role_id : str
        The missing id, kept on ``.id``.
    context : str, optional
        Where the id was referenced (e.g. ``"ladder edge ('a', 'b')"``).
    """

    def __init__(self, role_id: object, context: str | None = None) -> None:
        self.id = role_id
        self.context = context
        message = f"role {role_id!r} is not in the role graph"
        if context:
            message += f" (referenced by {context})"
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


class NoRoute(GraphError):
    """No path leads from ``source`` to ``target`` (within ``cutoff`` when one was given).

    Parameters
    ----------
    source, target : str
        The role ids, kept on ``.source`` and ``.target``.
    cutoff : float, optional
        The cost budget the search was limited to, kept on ``.cutoff``.
    """

    def __init__(self, source: object, target: object, cutoff: float | None = None) -> None:
        self.source = source
        self.target = target
        self.cutoff = cutoff
        message = f"no route from role {source!r} to role {target!r}"
        if cutoff is not None:
            message += f" within a cost of {cutoff:g}"
        super().__init__(message)
