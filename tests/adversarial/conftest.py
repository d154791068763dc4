"""Fixtures of the adversarial tests (issue 17): a small real demo project.

Every fixture is generated here; nothing large is committed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import have_default_models


@pytest.fixture(scope="session")
def demo_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 60-row demo dataset (manifest, images, planted broken rows)."""
    from engine.demo import build_demo

    out = tmp_path_factory.mktemp("adv") / "demo"
    build_demo(out, n=60, seed=17)
    return out


@pytest.fixture(scope="session")
def demo_store(demo_dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo embedded with the default models (tests copy it before changing it)."""
    if not have_default_models():
        pytest.skip("exported models missing (make models)")
    from engine.embed import run_embed

    store = tmp_path_factory.mktemp("adv-store") / "demo.h5"
    run_embed(demo_dataset, store)
    return store


@pytest.fixture()
def store_copy(demo_store: Path, tmp_path: Path) -> Path:
    """A private copy of the demo store."""
    target = tmp_path / "p.h5"
    shutil.copyfile(demo_store, target)
    return target
