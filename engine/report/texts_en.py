"""Every English sentence of the PDF report (keys shared with :mod:`engine.report.texts_ja`).

Placeholders use ``str.format`` names; values are inserted already formatted and escaped.
"""

from __future__ import annotations

TEXTS: dict[str, str] = {
    # document frame
    "report_title": "Image–report alignment report",
    "report_subtitle": "What AlignScope measured on this inspection dataset, what it means, and what to do next",
    "header": "AlignScope · {project}",
    "footer": "Page {page} of {pages}",
    "toc": "Contents",
    "toc_title_page": "Title page",
    # section titles (numbered as in the issue)
    "sec_summary": "Summary",
    "sec_alignment": "Alignment",
    "sec_interactions": "Interactions and heterogeneity",
    "sec_suspects": "Suspect pairs",
    "sec_quality": "Data quality",
    "sec_method": "Method",
    # title page
    "tp_project": "Project",
    "tp_store": "Project file",
    "tp_dataset": "Dataset",
    "tp_manifest": "Read as",
    "tp_rows_used": "Rows used",
    "tp_rows_quarantined": "Rows quarantined",
    "tp_date": "Report date",
    "tp_store_created": "Dataset imported",
    "tp_version": "AlignScope version",
    "tp_label": "Label column",
    "tp_label_default": "{label} (chosen automatically: {reason})",
    "tp_label_chosen": "{label}",
    "tp_label_none": "none — the dataset has no label column; label-dependent sections explain what is missing",
    "tp_device": "Device used for embedding",
    "tp_encoders": "Encoders",
    "enc_modality": "Modality",
    "enc_model": "Model",
    "enc_dim": "Dimension",
    "enc_sha": "SHA-256 (prefix)",
    "enc_device": "Device",
    "enc_default": "default pair",
    "modality_image": "image",
    "modality_text": "report text",
    "modality_fused": "image + text",
    "unknown": "unknown",
    # summary
    "sum_intro": (
        "AlignScope compared how an image encoder and a report encoder organise the same {n} "
        "inspection samples: when two images are close to each other, are their reports close "
        "to each other too? This agreement is called representation alignment. The numbers "
        "below come from the study in sections 3 to 5; each sentence cites its number."
    ),
    "sum_key_numbers": "Key numbers",
    "sum_headline": (
        "Mutual k-NN alignment of the default pair ({image} × {text}) is {value} "
        "(95 % interval {lo}–{hi}); chance level is {chance}{null_part}."
    ),
    "sum_null_part": " and shuffled pairs score {mean} on average (p = {p})",
    "sum_probe": (
        "The best single-modality probe predicts '{label}' with accuracy {acc} ({model}); "
        "always guessing the most frequent class gives {chance}."
    ),
    "sum_fused": "Combining image and report ({model}) gives accuracy {acc}.",
    "sum_pid": (
        "Information about '{label}': shared by both modalities (redundancy) {r} bits, only in the "
        "images {ui} bits, only in the reports {ut} bits, only in the combination (synergy) {s} "
        "bits; total {total} bits."
    ),
    "sum_corr": (
        "Across {n} {over} the Spearman correlation between alignment and task "
        "performance is {rho}."
    ),
    "sum_corr_not": "Whether alignment tracks performance cannot be judged here: {reason}",
    "sum_retrieval": (
        "After explicit alignment ({method}), the matching report is among the top 10 for {r} "
        "of held-out images (chance {chance})."
    ),
    "sum_suspects": "The {n} most suspect image–report pairs are listed for review in section 5.",
    "sum_quarantine": "{n} rows were set aside as unreadable or invalid (section 6).",
    "sum_no_label": (
        "No label column was available, so probes, interactions and the alignment–performance "
        "question could not be answered; add a label column (e.g. defect class) to the manifest "
        "and run the analysis again."
    ),
    "sum_recommendation": "Recommendation",
    "decision_invest": "Invest in explicit alignment",
    "decision_not yet": "Not yet — strengthen the single-modality models or the data first",
    "decision_measure more": "Measure more before deciding",
    "sum_findings": "Findings of the study",
    # alignment section
    "al_intro": (
        "Each metric compares the two embedding spaces of the default encoder pair on the same "
        "samples. 1 means the spaces are organised identically; the chance level is what "
        "unrelated spaces score. The interval is a 95 % bootstrap interval; the null is the "
        "score after shuffling which report belongs to which image (p: share of shuffles that "
        "score at least as high)."
    ),
    "al_metrics_table": "Alignment metrics of the default pair ({image} × {text}, n = {n}, k = {k})",
    "col_metric": "Metric",
    "col_value": "Value",
    "col_interval": "95 % interval",
    "col_null": "Null (mean)",
    "col_p": "p",
    "col_chance": "Chance",
    "al_ladder_table": "Every encoder pair (the ladder)",
    "col_image_model": "Image model",
    "col_text_model": "Text model",
    "col_image_probe": "Image probe",
    "col_text_probe": "Text probe",
    "col_fused_probe": "Fused probe",
    "col_performance": "Performance",
    "al_fig_curve": "Figure: mutual k-NN alignment against k, with the chance line k/(n−1).",
    "al_fig_heatmap": "Figure: {metric} for every image × text encoder pair.",
    "al_fig_perf": "Figure: alignment against task performance (mean of the two probe accuracies) per encoder pair.",
    "al_corr": (
        "Correlation between {metric} and performance over {n} {over}: Spearman {spearman} "
        "(95 % interval {s_lo}–{s_hi}), Pearson {pearson} (95 % interval {p_lo}–{p_hi})."
    ),
    "al_corr_not": "The correlation is not meaningful on this ladder: {reason}",
    "al_no_pairs": "No encoder pair with complete embeddings was found in the project.",
    "figure_missing": "(figure '{name}' is not available in this build of AlignScope)",
    "figure_no_data": "(no data for this figure)",
    # interactions
    "in_intro": (
        "Partial information decomposition splits what the two modalities tell about the label "
        "'{label}' into four parts, in bits: redundancy (told by either), uniqueness of each "
        "modality (told only by it) and synergy (told only by both together). Explicit "
        "alignment pays off where redundancy is real and the single-modality models are weak."
    ),
    "in_pid_table": "Interactions with '{label}' (default pair)",
    "col_part": "Part",
    "col_bits": "Bits",
    "pid_redundancy": "Redundancy",
    "pid_unique_image": "Unique to images",
    "pid_unique_text": "Unique to reports",
    "pid_synergy": "Synergy",
    "pid_total_mi": "Total information",
    "pid_cells": (
        "Each side was reduced to a few codes ({method}: {k_image} image codes, {k_text} report codes) "
        "that keep {kept_image} bits about the label on the image side and {kept_text} on the report side "
        "(the probes' own lower bounds: {probe_image} and {probe_text} bits; codes can keep more than "
        "a probe's bound, never much less without a caution below). Estimated from {cells} non-empty cells of {possible} "
        "possible ({per_cell} samples per non-empty cell); plug-in bias corrected by {correction}; "
        "parts below zero after the correction are shown as 0; solver {solver}."
    ),
    "pid_sparse": "Caution: {warning}",
    "in_fig_pid": "Figure: interactions with intervals.",
    "in_no_label": (
        "Missing: interactions need a label column (for example the defect class). The project "
        "has none, so this part was not computed."
    ),
    "in_het_title": "Heterogeneity",
    "in_het_intro": (
        "Heterogeneity says how differently (how nonlinearly) the two modalities encode the same "
        "content; alignment is expected to fall as it grows."
    ),
    "col_score": "Suspect score",
    "col_het_score": "Score",
    "col_meaning": "What it means",
    "het_nonlinear_gap": "Nonlinear gap",
    "het_transfer": "Transfer loss (bits)",
    "het_linear_deficit": "Linear deficit",
    "in_fig_het": "Figure: heterogeneity scores.",
    "in_ret_title": "Retrieval before and after explicit alignment",
    "in_ret_intro": (
        "Recall@k on {n_test} held-out pairs (maps fitted on {n_train} training pairs): the share of "
        "images whose own report is among the k best-matching reports (image → report), and "
        "the reverse (report → image). Best method: {best}."
    ),
    "col_method": "Method",
    "col_direction": "Direction",
    "dir_image_to_text": "image → report",
    "dir_text_to_image": "report → image",
    "ret_chance": "chance",
    "in_fig_ret": "Figure: recall@k per method.",
    "in_no_retrieval": "Retrieval was not computed for this project.",
    "in_no_het": "Heterogeneity was not computed for this project.",
    # suspects
    "su_intro": (
        "The {n} image–report pairs whose report most likely does not describe its image, most suspect "
        "first. Suspect score = share of randomly re-paired images and reports that fit at least as "
        "well as this pair, judged by an alignment learned on the other pairs only (1 = the pair fits "
        "no better than a random pairing). q = the expected share of false alarms if this pair and all "
        "above it are called mismatches. Report text is printed exactly as stored."
    ),
    "al_layers_title": "Alignment between layers",
    "al_layers_intro": (
        "The research measures alignment between every layer of the image encoder and every layer "
        "of the report encoder and reports the largest value (the \u201cmax alignment\u201d). Each "
        "layer's output is pooled over the image (or the report's words), the metric is mutual "
        "k-NN at the same k as above."
    ),
    "col_max_alignment": "Max alignment",
    "col_best_layers": "Best layer pair (image × report)",
    "col_layer_pairs": "Layer pairs",
    "al_fig_layers": "Figure: mutual k-NN of every image layer with every report layer of the default pair; the red box marks the maximum.",
    "al_fig_depth": "Figure: each layer's best alignment with any layer of the other encoder, against its relative depth.",
    "al_layers_corr": (
        "Alignment vs performance over the {n} layer pairs of the default pair (performance = the mean "
        "probe accuracy of the two layers): Spearman {spearman} [{s_lo} – {s_hi}], Pearson {pearson}."
    ),
    "su_selftest": "Self-test on this data: of {planted} reports planted on other parts, the method put "
                   "{found} in its top {top} (AUC {auc}).",
    "su_flagging": "{flagged} pairs have q ≤ {fdr}: likely mismatches; the rest are ranked for review.",
    "su_weak": "The self-test AUC is below {threshold}: the pairs are ranked for review, none is called "
               "a mismatch.",
    "su_no_signal": "No list: on this data the method cannot tell planted wrong reports from normal "
                    "pairs (self-test AUC {auc}). The neighbour overlap of every pair is in the attached CSV.",
    "col_q": "q",
    "col_rank": "#",
    "col_image": "Image",
    "col_id": "Sample",
    "col_label": "Label",
    "col_report": "Report (excerpt)",
    "su_none": "No per-sample scores are available for this project.",
    "su_missing_image": "(image not found)",
    # data quality
    "dq_intro": (
        "Rows of the dataset that could not be used, with the reason. They are excluded from "
        "every number in this report; fix them in the source data and import again."
    ),
    "dq_none": "No rows were quarantined: every row of the dataset was used.",
    "col_row": "Row",
    "col_file": "File",
    "col_reason": "Reason",
    "dq_more": "… and {n} more rows (see `alignscope info --json`).",
    "dq_summary": "{used} rows used, {q} rows quarantined.",
    # method
    "me_metrics": "Metric definitions",
    "me_params": "Parameters used",
    "me_references": "References",
    "me_notes": "Notes from the analysis",
    "par_n": "Samples",
    "par_k": "Neighbours k",
    "par_seed": "Random seed",
    "par_label": "Label column",
    "par_default_pair": "Default pair",
    "par_discretisation": "Discretisation for interactions",
    "par_discretisation_value": "L2-normalise → PCA(5) → k-means clusters per modality; {possible} possible cells",
    "par_discretisation_value_probe": "each modality's out-of-fold probe probabilities, clustered under the KL "
                                      "divergence; {possible} possible cells",
    "par_probes": "Probes",
    "par_probes_value": "linear, stratified {folds}-fold cross-validation",
    "par_retrieval": "Retrieval split",
    "par_retrieval_value": "{n_train} training / {n_test} held-out pairs",
    "par_intervals": "Intervals",
    "par_intervals_value": "95 % bootstrap percentile intervals",
    "par_normalisation": "Embedding preparation",
    "par_normalisation_value": "rows L2-normalised; kNN by cosine similarity, sample itself excluded",
    "par_attachment": "Attached file",
    "par_attachment_value": "{name}: per-sample scores (open the PDF's attachments panel)",
    "overlap_def": "Neighbour overlap (CSV column neighbour_overlap): |N_image(i) ∩ N_report(i)| / k, the share of neighbours sample i has in both spaces.",
    'al_probe_table': "Linear probes on '{label}' (how well each encoder alone predicts the label)",
    'col_model': 'Model',
    'col_modality': 'Modality',
    'col_accuracy': 'Accuracy',
    'col_macro_f1': 'Macro-F1',
    'probe_chance': 'Chance (most frequent class): {chance}',
    'al_no_probes': 'Missing: probes need a label column; none is available, so task performance was not measured.',
    # issue 19: every column defined where it appears; notes beside the numbers (engine/report/sections.py)
    "al_ladder_def": (
        "Image, text and fused probe: accuracy of a linear probe predicting '{label}' from that "
        "encoder's embeddings (share of samples classified right, out of fold; always answering the "
        "most frequent class gives {chance}). Performance: the mean of the image and the text probe's "
        "accuracy, the vertical axis of the figure below. {metric}: {definition}"
    ),
    "al_ladder_def_nolabel": "Probe and performance columns need a label column. {metric}: {definition}",
    "al_probe_def": (
        "Accuracy: share of samples whose '{label}' the probe predicts right (out of fold). Macro-F1: the "
        "F1 score averaged over the classes with equal weight, so always answering the most frequent "
        "class scores low; the findings and the recommendation use macro-F1."
    ),
    "probe_below_chance": "no better than always answering the most frequent class",
    "sum_probe_below": (
        "The best single-modality probe predicts '{label}' with accuracy {acc} ({model}), no better "
        "than always guessing the most frequent class ({chance}): neither encoder carries what "
        "predicts it, as far as a linear probe can tell."
    ),
    "sum_notes": "Notes on these numbers",
    "het_transfer_negative": (
        "The transfer loss was measured at {value} bits per sample: below 0 only by chance (a loss "
        "is 0 or more in expectation); read it as 0. The figure draws it as 0."
    ),
}


METRIC_DEFINITIONS: dict[str, str] = {
    "mutual_knn": "Mutual k-NN: the average share of each sample's k nearest neighbours that are the same in both spaces (0–1; chance ≈ k/(n−1)).",
    "cycle_knn": "Cycle k-NN: the share of samples that come back to themselves when going to a neighbour in the report space and back through the image space's neighbours.",
    "lcs_knn": "LCS k-NN: the mean length of the longest common subsequence of the two ordered neighbour lists (0–k).",
    "cka_linear": "Linear CKA: how similar the two spaces' sample-by-sample similarity matrices are, with dot-product kernels (0–1).",
    "cka_rbf": "RBF CKA: the same comparison with Gaussian kernels, sensitive to local rather than global structure (0–1).",
    "unbiased_cka_linear": "Unbiased linear CKA: linear CKA with the unbiased HSIC estimator, about 0 for unrelated spaces at any sample size.",
    "unbiased_cka_rbf": "Unbiased RBF CKA: RBF CKA with the unbiased HSIC estimator.",
    "cknna": "CKNNA: CKA restricted to pairs of samples that are mutual nearest neighbours, focusing on local agreement.",
    "svcca": "SVCCA: the mean canonical correlation between the top singular directions of the two spaces (0–1).",
}

REFERENCES: tuple[str, ...] = (
    "M. Tjandrasuwita, C. Ekbote, L. Ziyin, P. P. Liang. Understanding the Emergence of Multimodal Representation Alignment. ICML 2025 (arXiv:2502.16282).",
    "M. Huh, B. Cheung, T. Wang, P. Isola. The Platonic Representation Hypothesis. ICML 2024.",
    "P. P. Liang et al. Quantifying & Modeling Multimodal Interactions: An Information Decomposition Framework. NeurIPS 2023.",
    "S. Kornblith, M. Norouzi, H. Lee, G. Hinton. Similarity of Neural Network Representations Revisited (CKA). ICML 2019.",
    "L. Song, A. Smola, A. Gretton, J. Bedo, K. Borgwardt. Feature Selection via Dependence Maximization (unbiased HSIC). JMLR 2012.",
    "M. Raghu, J. Gilmer, J. Yosinski, J. Sohl-Dickstein. SVCCA: Singular Vector Canonical Correlation Analysis. NeurIPS 2017.",
    "P. L. Williams, R. D. Beer. Nonnegative Decomposition of Multivariate Information. 2010; N. Bertschinger et al. Quantifying Unique Information. Entropy 2014.",
)
