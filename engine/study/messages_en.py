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
    "h_suspects_weak": "the suspect-pair check is weak on this data (self-test AUC {auc:.2f}): its list is "
                       "ranked for review but calls no report a mismatch",
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
    # recommendation: the rules of engine.study.recommend, "r_<rule id>"
    "r_no_label": "Not known yet: without a label column the unimodal baselines and the overlap cannot be "
                "measured; add a label column.",
    "r_pid_unreliable": "Not known yet: the interaction estimate rests on {n} labelled pairs and "
                      "{samples_per_occupied_cell:.1f} samples per occupied cell; AlignScope's intervals hold their "
                      "coverage from {min_rows:g} pairs and {min_samples:g} per cell. Collect more labelled pairs.",
    "r_no_label_signal": "No, not yet: the best single modality reaches macro-F1 {best_f1:.2f}, no better than "
                       "always answering the majority class ({majority_f1:.2f}); there is no label information "
                       "for an alignment to share. Check the label column.",
    "r_baseline_strong": "No, not yet: the {best_modality} alone reach macro-F1 {best_f1:.2f} (AlignScope calls "
                       "≥ {strong_f1:.2f} strong); the paper's rule invests only where baselines are weak.",
    "r_baseline_weak": "The best single modality ({best_modality}) reaches macro-F1 {best_f1:.2f}, below "
                     "AlignScope's {strong_f1:.2f}: the baseline is weak.",
    "r_overlap_not_real": "No, not yet: redundancy is {share:.0%} of the {total:.2f} bits the two modalities carry "
                        "about the label (interval {share_lo:.0%}–{share_hi:.0%}; AlignScope's bar {min_share:.0%} "
                        "and at least each uniqueness); the paper's rule invests only where the overlap is real, "
                        "and alignment tracks performance only when information is mostly shared.",
    "r_overlap_uncertain": "Not known yet: redundancy is {share:.0%} of the label information, but its interval "
                         "({share_lo:.0%}–{share_hi:.0%}) straddles AlignScope's {min_share:.0%} bar; collect more "
                         "labelled pairs.",
    "r_overlap_real": "Redundancy is {share:.0%} of the {total:.2f} bits about the label (interval "
                    "{share_lo:.0%}–{share_hi:.0%}): the overlap is real.",
    "r_ladder_missing": "Not known yet: baselines are weak and the overlap is real, but whether alignment moves "
                      "task performance needs at least {min_pairs} {over} (this project has {n_pairs}); "
                      "embed more encoders of each ladder, or embed with --layers.",
    "r_ladder_flat": "No, not yet: across {n_pairs} {over} alignment does not track performance (Spearman "
                   "{spearman:.2f}, interval {spearman_lo:.2f}–{spearman_hi:.2f}); the paper finds alignment is "
                   "not a reliable proxy for performance.",
    "r_ladder_positive": "Across {n_pairs} {over} alignment tracks performance (Spearman {spearman:.2f}, "
                       "interval {spearman_lo:.2f}–{spearman_hi:.2f}).",
    "r_retrieval_gain_small": "No, not yet: a trained alignment adds only {gain:+.2f} recall@10 over the best linear "
                            "map of the untrained spaces (AlignScope's bar {min_gain:.2f}).",
    "r_retrieval_gain_useful": "A trained alignment adds {gain:+.2f} recall@10 over the best linear map of the "
                             "untrained spaces (AlignScope's bar {min_gain:.2f}).",
    "r_high_heterogeneity": "The spaces relate nonlinearly (linear deficit {linear_deficit:.2f}); the paper finds "
                          "alignment falls as heterogeneity grows, so low alignment here is expected and is not "
                          "by itself evidence that the modalities share nothing.",
    "r_weaker_modality": "The weaker side is the {weaker}: improve its encoder first (macro-F1 {weaker_f1:.2f} "
                         "against {stronger_f1:.2f}).",
    "r_invest": "Yes, worth investing: the baseline is weak (macro-F1 {best_f1:.2f}), the overlap is real "
                "(redundancy {share:.0%} of the label information) and alignment tracks performance across "
                "{n_pairs} {over} (Spearman {spearman:.2f}). These are the paper's conditions for investing; "
                "they do not guarantee a gain, so measure the aligned model against the baseline.",
    "r_invest_gain": "Yes, worth investing: the baseline is weak (macro-F1 {best_f1:.2f}), the overlap is real "
                     "(redundancy {share:.0%} of the label information), alignment tracks performance across "
                     "{n_pairs} {over} (Spearman {spearman:.2f}) and a trained alignment adds {gain:+.2f} "
                     "recall@10. These are the paper's conditions for investing; they do not guarantee a gain, "
                     "so measure the aligned model against the baseline.",
    "question": "Is explicit alignment worth investing in?",
    "modality_image": "photos",
    "over_model pairs": "encoder pairs",
    "over_layer pairs": "layer pairs of the default encoder pair",
    "modality_text": "reports",
}
