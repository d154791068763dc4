"""The open project as the GUI holds it, Qt-free: data loaded from the store, the selection,
the study result and the reviewed marks, with change events the views subscribe to.

- :mod:`engine.project.events` — :class:`Event`, a minimal synchronous signal.
- :mod:`engine.project.selection` — :class:`SelectionModel` (linked selection of samples).
- :mod:`engine.project.data` — :class:`ProjectData` and :func:`load_project` (runs in a worker).
- :mod:`engine.project.model` — :class:`ProjectModel`, which owns all of it.
"""
