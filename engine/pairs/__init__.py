"""Per-pair scores: which reports do not describe the image they are filed with.

One service owns the per-pair suspect score, its ranking, the suspect rows and their CSV;
the CLI, the GUI and the PDF call it. See docs/study.md, "Suspect pairs", for the method.

Entry points:

- :func:`score_pairs` (arrays in memory; pass the study's probes to avoid a second fit) and
  :func:`suspects_for_store` (a project store, cached in it) return a :class:`PairScores`.
- :func:`rank_order` is the one ordering of suspects (score, then id); :func:`rank_suspects`
  adds filters; :func:`suspect_rows` / :func:`write_csv` make the table and its CSV.
- :func:`load_reviewed` / :func:`save_reviewed`: the reviewed marks kept in the store.
"""

from engine.pairs.neighbours import overlap_from_neighbours, shared_neighbours
from engine.pairs.planted import SyntheticPairs, planted_swaps, synthetic_pairs
from engine.pairs.result import FDR_LEVEL, AlignmentSummary, PairArrays, PairScores
from engine.pairs.reviewed import load_reviewed, save_reviewed
from engine.pairs.score import score_pairs
from engine.pairs.selftest import SelfTest
from engine.pairs.store_service import suspects_for_store
from engine.pairs.table import (
    OVERLAP_COLUMN,
    Q_COLUMN,
    SCORE_COLUMN,
    csv_text,
    rank_order,
    rank_suspects,
    safe_cell,
    selection_rows,
    suspect_rows,
    tied_mask,
    write_csv,
)

__all__ = [
    "FDR_LEVEL",
    "OVERLAP_COLUMN",
    "Q_COLUMN",
    "SCORE_COLUMN",
    "AlignmentSummary",
    "PairArrays",
    "PairScores",
    "SelfTest",
    "SyntheticPairs",
    "csv_text",
    "load_reviewed",
    "overlap_from_neighbours",
    "planted_swaps",
    "rank_order",
    "rank_suspects",
    "safe_cell",
    "save_reviewed",
    "score_pairs",
    "selection_rows",
    "shared_neighbours",
    "suspect_rows",
    "suspects_for_store",
    "synthetic_pairs",
    "tied_mask",
    "write_csv",
]
