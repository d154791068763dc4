"""Where the UI's resources (styles, translations) are.

A checkout and the frozen bundle keep them in ``resources/`` beside the packages; a wheel
installs them as data files under ``<prefix>/share/alignscope/resources`` (see
``[tool.setuptools.data-files]`` in pyproject.toml).
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    beside = Path(__file__).resolve().parent.parent / "resources"
    if beside.is_dir():
        return beside
    installed = Path(sys.prefix) / "share" / "alignscope" / "resources"
    return installed if installed.is_dir() else beside


RESOURCES = resources_dir()
