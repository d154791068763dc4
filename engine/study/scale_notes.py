"""The study's notes about work done on a subsample or cut short for cost at large n.

Every such note is a sentence of the message catalogue (engine/study/messages_en.py and
messages_ja.py, keys ``n_scale_*``), built here from its numbers as a :class:`Message`, so the
GUI and the PDF render it in their language like every other note. A stage that subsamples
adds one of these to the study's ``notes``; nothing is subsampled silently.
"""

from __future__ import annotations

from engine.study.messages import Message, msg


def retrieval_test_cap(n: int, wanted: int, used: int) -> Message:
    return msg("n_scale_retrieval_test", n=n, wanted=wanted, used=used)


def contrastive_epochs(epochs: int, full: int, n_train: int, max_steps: int) -> Message:
    return msg("n_scale_contrastive_epochs", epochs=epochs, full=full, n_train=n_train, max_steps=max_steps)


def heterogeneity_sample(used: int, n: int) -> Message:
    return msg("n_scale_heterogeneity", used=used, n=n)


def probe_axes_sample(used: int, n: int) -> Message:
    return msg("n_scale_probe_axes", used=used, n=n)


def retrieval_axes_sample(used: int, n_train: int) -> Message:
    return msg("n_scale_retrieval_axes", used=used, n_train=n_train)
