"""The study: interactions (PID), probes, the ladder study, heterogeneity, explicit alignment.

Public entry points live in their modules (import them directly; this package
does not import anything heavy on its own):

- :mod:`engine.study.pid` — exact PID for discrete joints (``pid_from_joint``).
- :mod:`engine.study.analyze` — the whole study on a store (``analyze_store``).
"""
