"""The mobility programme: succession slates, mentors, opportunities, mobility analytics.

``Skillgraph.programme`` builds one :class:`Programme` per engine. Definitions of every figure
are in the module docstrings (:mod:`.succession`, :mod:`.mentors`, :mod:`.opportunities`,
:mod:`.analytics`, :mod:`.history`) and the README's "Mobility programme" section.
"""

from engine.programme.programme import Programme

__all__ = ["Programme"]
