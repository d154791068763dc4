"""English sentences of the study (keys shared with :mod:`engine.study.messages_ja`)."""

from __future__ import annotations

from engine.study.heterogeneity import EXPLANATIONS

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
    "h_agree": "Photos and reports agree {ratio:.1f}× more than chance (mutual kNN {value:.3f} vs {chance:.2g})",
    "h_agree_chance": "Photos and reports agree no more than chance (mutual kNN {value:.3f} vs {chance:.2g})",
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
    "f_pid_caution": "Caution: {warning}.",   # warning_key: one of the pid_* warnings below
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
    "f_corr_none": "Alignment vs performance: not computable — {reason}.",   # reason_key: a corr_* reason
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
    "modality_text": "reports",
    "list_separator": "; ",
    "list_comma": ", ",
    "sentence_space": " ",
    # words (engine.study.messages.WORD_PARAMS)
    "over_model_pairs": "encoder pairs",
    "over_layer_pairs": "layer pairs of the default encoder pair",
    "over_image_layers_(text_model_held_fixed)": "image layers (text model held fixed)",
    "over_text_layers_(image_model_held_fixed)": "text layers (image model held fixed)",
    "unit_model_pair": "model pair",
    "unit_layer_pair": "layer pair",
    "unit_layer": "layer",
    "units_model_pairs": "model pairs",
    "units_layer_pairs": "layer pairs",
    "units_layers": "layers",
    "method_linear_map": "linear map (no training of the encoders)",
    "method_cca": "CCA",
    "method_contrastive": "contrastive head",
    "discretization_probe": "probe",
    "discretization_kmeans": "k-means",
    "correction_jackknife": "jackknife",
    "metric_mutual_knn": "mutual k-NN",
    "metric_cycle_knn": "cycle k-NN",
    "metric_lcs_knn": "LCS k-NN",
    "metric_cka_linear": "linear CKA",
    "metric_cka_rbf": "RBF CKA",
    "metric_unbiased_cka_linear": "unbiased linear CKA",
    "metric_unbiased_cka_rbf": "unbiased RBF CKA",
    "metric_cknna": "CKNNA",
    "metric_svcca": "SVCCA",
    # what each heterogeneity score means (engine.study.heterogeneity)
    **{f"het_meaning_{name}": text for name, text in EXPLANATIONS.items()},
    # why alignment vs performance is (not) meaningful (engine.study.ladder)
    "corr_too_few_one": "only {n} {unit}: a correlation over fewer than {min_pairs} {units} cannot be told "
                        "apart from chance; embed more encoders of each ladder (or their layers) to answer "
                        "whether alignment tracks performance",
    "corr_too_few": "only {n} {units}: a correlation over fewer than {min_pairs} {units} cannot be told apart "
                    "from chance; embed more encoders of each ladder (or their layers) to answer whether "
                    "alignment tracks performance",
    "corr_no_spread": "no spread: alignment or performance is the same for every {unit}",
    "corr_includes_zero": "{n} {units}; the Spearman interval [{lo:.2f}, {hi:.2f}] includes 0, so no reliable "
                          "link between alignment and performance here",
    "corr_excludes_zero": "{n} {units}; the interval excludes 0",
    # how far to trust the interactions (engine.study.interactions, engine.study.discretize)
    "pid_sparse": "sparse joint: {n} samples over {occupied} occupied cells ({n1} × {n2} codes × {ny} "
                  "classes) = {per_cell:.1f} samples per occupied cell, fewer than the {min_per_cell:g} from "
                  "which the intervals were validated: collect more labelled pairs or use fewer clusters",
    "pid_small_sample": "small sample: {n} labelled pairs, fewer than the {min_rows} from which the intervals "
                        "were validated; rare combinations can hide synergy: collect more labelled pairs",
    "pid_kept_information": "{modality}: the discretisation keeps {kept:.3f} of the {probe:.3f} bits about the "
                            "label that the probe reads ({percent:.0f} %): the decomposition understates what "
                            "this modality carries",
    # notes of the study (engine.study.analyze, engine.study.stages, engine.study.retrieval)
    "n_pid": "PID: {warning}",
    "n_cached": "loaded from the store's result cache",
    "n_not_cached": "result not cached in the store ({error})",
    "n_label_missing": "{missing} of {n} samples have no '{column}' value and are left out of probes, PID and "
                       "heterogeneity transfer",
    "n_label_single": "{count} '{column}' value(s) occur only once and are left out of probes and PID: {values}",
    "n_label_one_class": "label '{column}' has fewer than 2 classes: probes and PID skipped",
    "n_no_torch": "contrastive head skipped: torch is not installed in this installation",
    "n_suspects_too_few": "suspect pairs: {n} pairs are too few to cross-fit (need {min_pairs}); the list is "
                          "ranked by neighbour overlap only",
    "n_suspects_failed": "suspect pairs not scored: {error}",
    "n_layers_subsample": "layer-wise alignment on a random {rows:,} of {n:,} pairs (one k-NN graph per layer "
                          "costs n²)",
    "n_intervals": "intervals: {bootstrap} bootstrap resamples and {permutations} permutations for "
                   "{knn_metrics}; {linear_bootstrap} and {linear_permutations} for {linear_metrics}; none for "
                   "the kernel metrics and SVCCA (each resample costs a full recomputation); 95% percentile "
                   "intervals clipped to each metric's range (kNN-score metrics resample per-sample scores on "
                   "the full-data graph, the others are recomputed on the distinct drawn pairs); permutation "
                   "null: B's rows shuffled, p = (1 + #null ≥ observed)/(1 + N)",
    "n_as_recorded": "{text}",   # a note no template knows (engine.study.messages_recorded.metric_note)
    # notes of the metric computation (engine.metrics), read back by engine.study.messages_recorded
    "mn_knn_provider": "k-NN graphs computed by {provider}",
    "mn_svcca_zero_var": "svcca: {side} has {count} zero-variance column(s) ({shown}); centre-only SVCCA ignores "
                         "them (they carry no variance), unlike std-scaled SVCCA which divides by 0",
    "mn_rbf_subsample": "RBF CKA computed on a random subsample of {m} of {n} pairs (seed {seed}): exact RBF "
                        "kernels cost O(n²·d)",
    "mn_undefined": "{metric} is undefined here (a self-similarity term is ≤ 0, e.g. too few or degenerate "
                    "samples); reported as NaN",
    "mn_uncertainty_subsample": "uncertainty for {metrics} computed on a random subsample of {m} of {n} pairs "
                                "(seed {seed}); p-values compare with that subsample's value",
    "mn_skipped": "{count} replicate computation(s) were too small or degenerate for a metric (e.g. fewer than "
                  "4 distinct pairs) and were skipped",
    "mn_bootstrap": "bootstrap: {n} resamples of pairs, 95% percentile intervals; kNN-score metrics resample "
                    "per-sample scores on the full-data graph; the other metrics are recomputed on the "
                    "distinct drawn pairs (conservative)",
    "mn_permutation": "permutation null: {n} shuffles of B's rows; p = (1 + #null ≥ observed)/(1 + N)",
    "mn_svcca_fewer": "svcca: computed on {used} directions instead of {d}: A spans {rank_a} and B {rank_b} "
                      "directions of variance (e.g. reports drawn from a short pick-list, or fewer samples "
                      "than directions); bootstrap resamples are limited the same way",
    "mn_svcca_undefined": "svcca: undefined: A spans {rank_a} and B {rank_b} directions of variance (a space "
                          "without any variance)",
    # which models the study uses (engine.study.model_choice)
    "models_reason": "image {image} ({image_why}), report {text} ({text_why})",
    "why_requested": "chosen by the user",
    "why_default": "the default rung",
    "why_language": "reads the reports' language",
    "why_first": "the first complete model in the store",
    # why one pair scores as it does (engine.pairs.result.PairScores.reason_messages)
    "pr_report_rank": "the report ranks {rank:ordinal} of {n:,} for its image",
    "pr_image_rank": "the image ranks {rank:ordinal} of {n:,} for its report",
    "pr_classes_differ": "image says {image_class} (p={image_p:.2f}), report says {report_class} (p={report_p:.2f})",
    "pr_classes_agree": "image and report both say {image_class} (p={image_p:.2f} and {report_p:.2f})",
    "pr_tied_one": "same score as {n} other pair; placed by id",
    "pr_tied": "same score as {n} other pairs; placed by id",
    "pr_overlap": "shares {share:.0%} of its nearest neighbours across the two spaces",
    # why a dataset row was quarantined (engine.dataset, engine.safe_io, engine.embed): the exact
    # sentences those modules write, read back by engine.study.messages_recorded
    "q_missing_image": "missing file",
    "q_missing_file": "missing {what} file {name}",
    "q_empty_report_whitespace": "empty report (only whitespace)",
    "q_empty_report": "empty report",
    "q_zero_bytes": "zero bytes (empty file)",
    "q_report_zero_bytes": "report file {name} has zero bytes",
    "q_not_image": "not an image (format not recognised)",
    "q_too_many_pixels_size": "too many pixels ({width}×{height} = {pixels}; limit {limit}): refused as a "
                              "possible decompression bomb",
    "q_too_many_pixels": "too many pixels: refused as a possible decompression bomb",
    "q_truncated": "truncated image ({detail})",
    "q_corrupt": "corrupt image ({detail})",
    "q_jpeg_cut": "no end-of-image marker after the scan data: the file stops at byte {size}",
    "q_no_memory": "decoding it needs more memory than there is",
    "q_undecodable_row": "undecodable text in this row (neither valid UTF-8 nor CP932)",
    "q_undecodable_file": "undecodable text in {name} (line {lines}: not {encoding}; save it as UTF-8)",
    "q_empty_id": "empty id",
    "q_no_path": "no {what} path given",
    "q_nul_path": "{what} path holds a NUL character (refused)",
    "q_duplicate_id": "duplicate id '{id}' (also on row {rows})",
    "q_folder": "not a file (a folder?)",
    "q_escapes": "{what} path '{name}' escapes the dataset folder {root} (refused; to read files there: "
                 "--allow-outside {folder})",
    "q_symlink": "{what} '{name}' is a symbolic link to {target}, outside the dataset folder {root} (refused; "
                 "to read files there: --allow-outside {folder})",
    "q_unresolvable": "{what} path '{name}' cannot be resolved ({error})",
    "q_cannot_read": "cannot read the {what} file '{name}' ({error})",
    "q_too_large": "{what} file '{name}' is {size}, above the {limit} limit for a {what2} file (refused)",
    "q_special_file": "{what} '{name}' is {kind}",
    "q_control": "{what} holds control character {char} at position {position}; remove it from the manifest row",
    "q_not_utf8": "{what} is not valid UTF-8 (byte {byte} at position {position}); rename the file or fix the "
                  "manifest cell",
    "q_unusable": "the {encoder} model '{model}' gave NaN, infinite or absurd values (beyond ±{limit}) for "
                  "this {what}; the row was left out",
    # what a quarantine reason is about (the {what} of the q_* sentences)
    "encoder_image": "image",
    "encoder_text": "text",
    "q_library": "{text}",
    "qw_image": "image",
    "qw_report": "report",
    "qw_id": "id",
    "qw_image_path": "image path",
    "qw_report_text": "report text",
    "qw_report_file_path": "report file path",
    "qw_report_file": "report file {name}",
    "qw_column": "column '{column}'",
    "qk_folder": "a folder, not a file",
    "qk_device": "a device file, not a regular file (refused)",
    "qk_pipe": "a named pipe, not a regular file (refused)",
    "qk_socket": "a socket, not a regular file (refused)",
    "qk_other": "not a regular file (refused)",
    # progress messages of the engine's jobs (read back by engine.study.messages_recorded)
    "p_validating": "validating rows",
    "p_copying_images": "copying images",
    "p_demo_written": "demo written",
    "p_writing_demo": "writing the demo dataset",
    "p_writing_samples": "writing the samples table",
    "p_model_done": "{model}: all rows already embedded",
    "p_model_embedding": "{model}: embedding",
    "p_model_starting": "{model}: starting",
    "p_encoding_with": "encoding with {model}",
    "p_importing": "importing {model}",
    "p_metrics_done": "metrics done",
    "p_neighbours_a": "nearest neighbours in A",
    "p_neighbours_b": "nearest neighbours in B",
    "p_rbf_cka": "RBF CKA",
    "p_linear_cka": "linear CKA",
    "p_bootstrap_rbf": "bootstrap (RBF)",
    "p_bootstrap_knn": "bootstrap (kNN)",
    "p_bootstrap_linear": "bootstrap (linear)",
    "p_permutations_rbf": "permutations (RBF)",
    "p_permutations_knn": "permutations (kNN)",
    "p_permutations_linear": "permutations (linear)",
    "p_reading_samples": "reading samples",
    "p_reviewed": "reviewed marks",
    "p_neighbours": "nearest neighbours",
    "p_image_projection": "image projection",
    "p_report_projection": "report projection",
    "p_study_results": "study results",
    "p_project_ready": "project ready",
    "p_projection_cache": "projection from cache",
    "p_projection_ready": "projection ready",
    "p_reading_model": "reading {model}",
    "p_reducing": "reducing {n} rows to {dims} principal components",
    "p_saving_projection": "saving projection",
    "p_tsne_done": "t-SNE done",
    "p_tsne_iteration": "t-SNE of {n} points: iteration {done}/{total}",
    "p_tsne_affinities": "t-SNE of {n} points: nearest neighbours and affinities",
    "p_projection_of": "{method} of {model}",
    "p_trial": "explicit-alignment trial",
    "p_heterogeneity": "heterogeneity",
    "p_interactions": "interactions (PID)",
    "p_per_sample": "per-sample agreement",
    "p_suspects": "suspect pairs",
    "p_pid_bootstrap": "PID bootstrap",
    "p_pid_jackknife": "PID jackknife",
    "p_fused_probe": "fused probe {pair}",
    "p_metrics": "metrics {image} × {text}",
    "p_probe": "probe {model}",
    "p_reading_project": "reading the project",
    "p_thumbnails": "loading thumbnails",
    "p_figures": "drawing figures",
    "p_layout": "laying out pages",
    "p_writing_pdf": "writing PDF",
    "p_done": "done",
    # notes on work done on a subsample at large n (engine.study.scale_notes)
    "n_scale_retrieval_test": "retrieval: {used:,} held-out pairs ranked instead of {wanted:,} (30 % of {n:,}), "
                              "chosen at random; recall@k is among a gallery of {used:,} (chance k/{used:,}); "
                              "the other pairs train",
    "n_scale_contrastive_epochs": "retrieval: the contrastive head trained {epochs} epoch(s) over {n_train:,} "
                                  "pairs instead of {full} (at most {max_steps:,} optimiser steps)",
    "n_scale_heterogeneity": "heterogeneity scores computed on a random subsample of {used:,} of {n:,} pairs "
                             "(kernel ridge costs O(n²); the scores are stable well below this size)",
    "n_scale_probe_axes": "probes: the 128 principal axes each space is reduced to were fitted on a random "
                          "{used:,} of the {n:,} labelled pairs (every pair is projected and probed)",
    "n_scale_retrieval_axes": "retrieval: the 128 principal axes were fitted on a random {used:,} of the "
                              "{n_train:,} training pairs (every pair is projected)",
}
