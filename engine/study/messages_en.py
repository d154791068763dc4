"""English sentences of the study (keys shared with :mod:`engine.study.messages_ja`)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # why a label column was chosen (engine.dataset.label_choice)
    "label_named": "'{column}' has a label-like name and {levels} values",
    "label_categorical": "'{column}' is the first categorical column, with {levels} values",
    "label_integer-coded": "'{column}' is the first categorical column (integer-coded classes), with "
                           "{levels} values",
    "label_context": "'{column}' (production context, {levels} values) was chosen by the user",
    "label_others": "; other candidates: {others}",
    "label_requested": "'{column}' was chosen by the user",
    # headline (engine.study.headline)
    "h_agree": "Photos and reports agree {ratio:.1f}× more than chance (mutual kNN {value:.3f} vs {chance:.3f})",
    "h_agree_chance": "Photos and reports agree no more than chance (mutual kNN {value:.3f} vs {chance:.3f})",
    "h_suspects": "{n} reports look inconsistent with their photo (at {fdr:.0%} false discoveries)",
    "h_suspects_no_signal": "the suspect-pair check cannot tell mismatched reports from normal ones on "
                            "this data",
    "h_carrier_reports": "the reports, not the photos, carry most of what predicts {label} "
                         "({text:.2f} vs {image:.2f} bits)",
    "h_carrier_photos": "the photos, not the reports, carry most of what predicts {label} "
                        "({image:.2f} vs {text:.2f} bits)",
    "h_carrier_both": "photos and reports predict {label} about equally ({image:.2f} and {text:.2f} bits)",
    "h_separator": "; ",
    "h_end": ".",
    # findings
    "f_no_label": "No label column was given or found, so unimodal baselines, interactions (PID) and "
                  "the alignment-vs-performance check could not be measured; only alignment and "
                  "suspect pairs are reported.",
    "f_baseline_strong": "Unimodal baseline: the best single encoder, {model} ({modality}), reaches macro-F1 "
                         "{f1:.2f} [95 % CI {f1_lo:.2f}–{f1_hi:.2f}] and accuracy {acc:.2f} (always "
                         "answering the commonest class: {chance:.2f}); that is strong (≥ {threshold:.2f}).",
    "f_baseline_weak": "Unimodal baseline: the best single encoder, {model} ({modality}), reaches macro-F1 "
                       "{f1:.2f} [95 % CI {f1_lo:.2f}–{f1_hi:.2f}] and accuracy {acc:.2f} (always "
                       "answering the commonest class: {chance:.2f}); that is below {threshold:.2f}, so "
                       "there is room to improve.",
    "f_baseline_below_chance": "Unimodal baseline: the best single encoder, {model} ({modality}), reaches "
                               "accuracy {acc:.2f}, no better than always answering the commonest class "
                               "({chance:.2f}); neither space predicts the label.",
    "f_fused": "Simply concatenating the two embeddings ({pair}) gives macro-F1 {f1:.2f} "
               "[95 % CI {f1_lo:.2f}–{f1_hi:.2f}], {gain:+.2f} over the best single encoder.",
    "f_pid_shared": "Overlap (PID, bits): redundancy R = {r:.3f}, unique to images U = {u_img:.3f}, unique "
                    "to reports U = {u_txt:.3f}, synergy S = {s:.3f}, of I = {total:.3f} bits about the "
                    "label; redundancy is {share:.0%} of it, so the modalities do share the label "
                    "information.",
    "f_pid_not_shared": "Overlap (PID, bits): redundancy R = {r:.3f}, unique to images U = {u_img:.3f}, "
                        "unique to reports U = {u_txt:.3f}, synergy S = {s:.3f}, of I = {total:.3f} bits "
                        "about the label; redundancy is {share:.0%} of it, so most label information is "
                        "not shared between the modalities.",
    "f_pid_caution": "Caution: {warning}.",
    "f_alignment": "Alignment of {image} × {text}: mutual kNN (k={k}) = {value:.3f} against chance ≈ "
                   "{chance:.3f}.",
    "f_alignment_beyond_chance": "Alignment of {image} × {text}: mutual kNN (k={k}) = {value:.3f} "
                                 "[95 % CI {lo:.3f}–{hi:.3f}] against chance ≈ {chance:.3f} and a "
                                 "shuffled-pairs null of {null_mean:.3f} (p = {p:.3g}); the spaces are "
                                 "aligned beyond chance.",
    "f_alignment_chance": "Alignment of {image} × {text}: mutual kNN (k={k}) = {value:.3f} "
                          "[95 % CI {lo:.3f}–{hi:.3f}] against chance ≈ {chance:.3f} and a "
                          "shuffled-pairs null of {null_mean:.3f} (p = {p:.3g}); that is not "
                          "distinguishable from chance.",
    "f_corr_none": "Alignment vs performance: not computable — {reason}.",
    "f_corr": "Alignment vs performance across {n} {over}: Spearman {spearman:.2f}, Pearson "
              "{pearson:.2f}; {reason}.",
    "f_corr_not_meaningful": "Alignment vs performance across {n} {over}: Spearman {spearman:.2f}, "
                             "Pearson {pearson:.2f}; not meaningful: {reason}.",
    "f_retrieval": "Explicit alignment trial on {n_test} held-out pairs: recall@10 (mean of both "
                   "directions) is {base:.2f} with the best linear map of the untrained spaces, "
                   "{best:.2f} with {method} ({gain:+.2f}); chance is {chance:.3f}.",
    "f_heterogeneity": "Heterogeneity: nonlinear gap {gap:.2f} (0 = the spaces relate linearly), linear "
                       "deficit {deficit:.2f} (share of one space the other cannot reproduce linearly).",
    # recommendation
    "r_no_label": "Measure more: without a label (or a usable PID) the baselines and the overlap that the "
                  "decision rests on are unknown; add a label column.",
    "r_sparse": "Measure more: the interaction estimate has {per_cell:.2f} samples per cell, too few to "
                "trust the overlap figure; collect more samples.",
    "r_strong_baseline": "Not yet: the best single encoder ({model}) already reaches macro-F1 {f1:.2f}, so "
                         "explicit alignment has little to add.",
    "r_little_overlap": "Not yet: redundancy is only {r:.3f} of {total:.3f} bits, so aligning the "
                        "modalities would align little that matters for the label.",
    "r_no_alignment": "Measure more: the modalities overlap but the current encoders show no alignment "
                      "beyond chance; try larger encoders of each ladder first.",
    "r_small_gain": "Not yet: the trained alignment improved held-out recall@10 by only {gain:+.2f} over "
                    "the best linear map.",
    "r_invest": "Invest in explicit alignment: the baseline is weak (macro-F1 {f1:.2f}), redundancy is "
                "{r:.3f} of {total:.3f} bits, and a trained alignment gained {gain:+.2f} recall@10.",
}
