"""Fairness and accountability: the decision log, the impact audit, advancement disparities.

- :mod:`engine.audit.context` — who is asking (bound per request / command);
- :mod:`engine.audit.facade` — :class:`Audit`, reached as ``Skillgraph.audit``;
- :mod:`engine.audit.impact` — LL144 selection / scoring rates and impact ratios (pure);
- :mod:`engine.audit.impact_audit` — those computed from the decision log;
- :mod:`engine.audit.disparities` — promotion and lateral-move rates by group and family;
- :mod:`engine.audit.overrides` — human overrides of shortlists;
- :mod:`engine.audit.report` — table, CSV and the printable HTML report.

Protected attributes are read here, at audit time, and nowhere on a scoring path.
"""

from engine.audit.context import Actor, acting, current_actor
from engine.audit.facade import Audit, retention_days

__all__ = ["Actor", "Audit", "acting", "current_actor", "retention_days"]
