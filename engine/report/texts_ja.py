"""Every Japanese sentence of the PDF report (same keys as :mod:`engine.report.texts_en`)."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "report_title": "画像と報告書の整合度レポート",
    "report_subtitle": "この検査データセットで AlignScope が測定した内容、その意味、次に取るべき行動",
    "header": "AlignScope · {project}",
    "footer": "{page} / {pages} ページ",
    "toc": "目次",
    "toc_title_page": "表紙",
    "sec_summary": "概要",
    "sec_alignment": "整合度",
    "sec_interactions": "相互作用と異質性",
    "sec_suspects": "要確認ペア",
    "sec_quality": "データ品質",
    "sec_method": "手法",
    "tp_project": "プロジェクト",
    "tp_store": "プロジェクトファイル",
    "tp_dataset": "データセット",
    "tp_manifest": "読み込み形式",
    "tp_rows_used": "使用した行数",
    "tp_rows_quarantined": "隔離した行数",
    "tp_date": "レポート作成日",
    "tp_store_created": "データ取込日",
    "tp_version": "AlignScope バージョン",
    "tp_label": "ラベル列",
    "tp_label_default": "{label}（自動選択: {reason}）",
    "tp_label_chosen": "{label}",
    "tp_label_none": "なし — データセットにラベル列がないため、ラベルを必要とする節ではその旨を説明しています",
    "tp_device": "埋め込みに使用したデバイス",
    "tp_encoders": "エンコーダー",
    "enc_modality": "モダリティ",
    "enc_model": "モデル",
    "enc_dim": "次元",
    "enc_sha": "SHA-256（先頭）",
    "enc_device": "デバイス",
    "enc_default": "既定のペア",
    "modality_image": "画像",
    "modality_text": "報告書テキスト",
    "modality_fused": "画像＋テキスト",
    "unknown": "不明",
    "sum_intro": (
        "AlignScope は、同じ {n} 件の検査サンプルについて、画像エンコーダーと報告書エンコーダーが"
        "データをどのように配置するかを比較しました。2 枚の画像が互いに近いとき、それぞれの報告書も"
        "互いに近いか — この一致の度合いを表現の整合度（アライメント）と呼びます。以下の数値は第 3〜5 節の分析結果で、"
        "各文にその根拠となる数値を示しています。"
    ),
    "sum_key_numbers": "主要な数値",
    "sum_headline": (
        "既定のペア（{image} × {text}）の相互k近傍による整合度は {value}（95 % 区間 {lo}–{hi}）"
        "です。偶然の水準は {chance}{null_part}。"
    ),
    "sum_null_part": "、ペアをシャッフルした場合の平均は {mean}（p = {p}）です",
    "sum_probe": (
        "単一モダリティの最良プローブは「{label}」を正解率 {acc} で予測します（{model}）。"
        "常に最頻クラスを答えた場合は {chance} です。"
    ),
    "sum_fused": "画像と報告書を組み合わせると（{model}）正解率は {acc} です。",
    "sum_pid": (
        "「{label}」に関する情報量：両モダリティに共通（冗長性）{r} ビット、画像のみ {ui} ビット、"
        "報告書のみ {ut} ビット、組み合わせでのみ得られる（相乗効果）{s} ビット、合計 {total} ビット。"
    ),
    "sum_corr": "{over} {n} 個における、整合度とタスク性能のスピアマン相関は {rho} です。",
    "sum_corr_not": "整合度が性能に連動するかはここでは判断できません：{reason}。",
    "sum_retrieval": (
        "明示的な整合（{method}）の後、評価用画像の {r} で、対応する報告書が上位 10 件に"
        "入ります（偶然の水準 {chance}）。"
    ),
    "sum_suspects": "最も疑わしい {n} 組の画像–報告書ペアを第 5 節に確認用として掲載しています。",
    "sum_quarantine": "{n} 行が読み取り不能または無効として除外されました（第 6 節）。",
    "sum_no_label": (
        "ラベル列がないため、プローブ、相互作用、整合度と性能の関係は求められませんでした。"
        "マニフェストにラベル列（例：不良クラス）を追加して再度分析してください。"
    ),
    "sum_recommendation": "推奨事項",
    "decision_invest": "明示的な整合に投資する",
    "decision_not yet": "まだ早い — まず単一モダリティのモデルまたはデータを強化する",
    "decision_measure more": "判断の前に追加で測定する",
    "sum_findings": "分析結果",
    "al_intro": (
        "各指標は、既定のエンコーダーペアの 2 つの埋め込み空間を同じサンプル上で比較します。1 は空間の構造が"
        "完全に一致すること、偶然の水準は無関係な空間で得られる値を意味します。区間は 95 % ブートストラップ"
        "区間、帰無値は画像と報告書の対応をシャッフルした後の値です（p：シャッフル後に同等以上となった割合）。"
    ),
    "al_metrics_table": "既定のペアの整合度指標（{image} × {text}、n = {n}、k = {k}）",
    "col_metric": "指標",
    "col_value": "値",
    "col_interval": "95 % 区間",
    "col_null": "帰無値（平均）",
    "col_p": "p",
    "col_chance": "偶然の水準",
    "al_ladder_table": "全エンコーダーペア（ラダー）",
    "col_image_model": "画像モデル",
    "col_text_model": "テキストモデル",
    "col_image_probe": "画像プローブ",
    "col_text_probe": "テキストプローブ",
    "col_fused_probe": "融合プローブ",
    "col_performance": "性能",
    "al_fig_curve": "図：k に対する相互k近傍による整合度と偶然の水準 k/(n−1)。",
    "al_fig_heatmap": "図：画像 × テキストの全エンコーダーペアの{metric}。",
    "al_fig_perf": "図：エンコーダーペアごとの整合度とタスク性能（2 つのプローブ正解率の平均）。",
    "al_corr": (
        "{over} {n} 個における{metric}と性能の相関：スピアマン {spearman}（95 % 区間 {s_lo}–{s_hi}）、"
        "ピアソン {pearson}（95 % 区間 {p_lo}–{p_hi}）。"
    ),
    "al_corr_not": "このラダーでは相関に意味がありません：{reason}。",
    "al_no_pairs": "プロジェクトに埋め込みが完了したエンコーダーペアがありません。",
    "figure_missing": "（図「{name}」はこのビルドの AlignScope では利用できません）",
    "figure_no_data": "（この図のデータがありません）",
    "in_intro": (
        "部分情報分解は、2 つのモダリティがラベル「{label}」について持つ情報を 4 つに分けます（単位：ビット）："
        "冗長性（どちらからも得られる）、各モダリティの固有性（そのモダリティからのみ得られる）、"
        "相乗効果（両方を合わせたときのみ得られる）。明示的な整合が効果を持つのは、冗長性が"
        "実在し、単一モダリティのモデルが弱い場合です。"
    ),
    "in_pid_table": "「{label}」との相互作用（既定のペア）",
    "col_part": "成分",
    "col_bits": "ビット",
    "pid_redundancy": "冗長性",
    "pid_unique_image": "画像に固有",
    "pid_unique_text": "報告書に固有",
    "pid_synergy": "相乗効果",
    "pid_total_mi": "総情報量",
    "pid_cells": (
        "各モダリティを少数の符号に縮約しました（方法：{method}、画像 {k_image} 個、報告書 {k_text} 個）。符号が保持するラベル情報は "
        "画像側 {kept_image} ビット、報告書側 {kept_text} ビットです（プローブ自身の下限：{probe_image} ビットと {probe_text} ビット。"
        "符号が下限を上回ることはあり、大きく下回るときは下に注意を示します）。"
        "{possible} 個中 {cells} 個の非空セルから推定（非空セルあたり {per_cell} サンプル）。プラグイン推定の偏りは "
        "{correction}で補正し、補正後に負になった成分は 0 と表示しています。ソルバー {solver}。"
    ),
    "pid_sparse": "注意：{warning}。",
    "in_fig_pid": "図：区間付きの相互作用。",
    "in_no_label": (
        "未算出：相互作用にはラベル列（例：不良クラス）が必要です。このプロジェクトにはないため、"
        "この部分は計算していません。"
    ),
    "in_het_title": "異質性",
    "in_het_intro": (
        "異質性は、2 つのモダリティが同じ内容をどれだけ異なる（非線形な）形で表現しているかを示します。"
        "異質性が大きいほど整合度は低下すると考えられます。"
    ),
    "col_score": "要確認スコア",
    "col_het_score": "スコア",
    "col_meaning": "意味",
    "het_nonlinear_gap": "非線形ギャップ",
    "het_transfer": "転移損失（ビット）",
    "het_linear_deficit": "線形不足度",
    "in_fig_het": "図：異質性スコア。",
    "in_ret_title": "明示的な整合の前後での検索性能",
    "in_ret_intro": (
        "評価用 {n_test} ペアでの Recall@k（写像は学習用 {n_train} ペアで推定）：画像ごとに、その画像の"
        "報告書が一致度上位 k 件に入る割合（画像 → 報告書）と、その逆（報告書 → 画像）。最良の手法：{best}。"
    ),
    "col_method": "手法",
    "col_direction": "方向",
    "dir_image_to_text": "画像 → 報告書",
    "dir_text_to_image": "報告書 → 画像",
    "ret_chance": "偶然の水準",
    "in_fig_ret": "図：手法ごとの Recall@k。",
    "in_no_retrieval": "このプロジェクトでは検索性能を計算していません。",
    "in_no_het": "このプロジェクトでは異質性を計算していません。",
    "su_intro": (
        "報告書が画像を説明していない可能性が最も高い {n} 組の画像–報告書ペアです（疑わしい順）。"
        "要確認スコア＝ほかのペアだけで学習した対応づけで見て、画像と報告書を無作為に組み替えたペアのうち、"
        "このペア以上によく合うものの割合（1 は無作為な組み合わせと同程度にしか合わないことを意味します）。"
        "q＝このペアとそれより上のペアをすべて食い違いと判定したときに見込まれる誤検出の割合。"
        "報告書の本文は保存されたとおりに表示しています。"
    ),
    "al_layers_title": "層どうしの整合度",
    "al_layers_intro": (
        "研究では、画像エンコーダーのすべての層と報告書エンコーダーのすべての層の組について整合度を測り、"
        "その最大値（「最大整合度」）を報告します。各層の出力は画像全体（報告書では単語全体）で平均し、"
        "指標は上と同じ k の相互k近傍です。"
    ),
    "col_max_alignment": "最大整合度",
    "col_best_layers": "最良の層の組（画像 × 報告書）",
    "col_layer_pairs": "層の組の数",
    "al_fig_layers": "図：既定の組の各画像層と各報告書層の相互k近傍。赤枠が最大値です。",
    "al_fig_depth": "図：各層が相手エンコーダーのいずれかの層と示す最良の整合度を、層の相対的な深さに対して示します。",
    "al_layers_corr": (
        "既定の組の {n} 個の層の組にわたる整合度と性能の関係（性能＝2 つの層のプローブ正解率の平均）："
        "スピアマン {spearman} [{s_lo} – {s_hi}]、ピアソン {pearson}。"
    ),
    "su_selftest": "このデータでの自己テスト: 別の部品に付け替えた {planted} 件の報告書のうち {found} 件を"
                   "上位 {top} 件に挙げました (AUC {auc})。",
    "su_flagging": "{flagged} 組は q ≤ {fdr} で、食い違いの可能性が高いペアです。残りは確認用に順位づけしています。",
    "su_weak": "自己テストの AUC が {threshold} 未満のため、ペアは確認用に順位づけするのみで、食い違いとは判定していません。",
    "su_no_signal": "一覧はありません: このデータでは、付け替えた報告書と正常なペアを区別できません (自己テスト AUC {auc})。"
                    "各ペアの近傍の重なりは添付の CSV にあります。",
    "col_q": "q",
    "col_rank": "順位",
    "col_image": "画像",
    "col_id": "サンプル",
    "col_label": "ラベル",
    "col_report": "報告書（抜粋）",
    "su_none": "このプロジェクトにはサンプルごとのスコアがありません。",
    "su_missing_image": "（画像が見つかりません）",
    "dq_intro": (
        "使用できなかったデータセットの行とその理由です。これらの行は本レポートのすべての数値から除外されて"
        "います。元データを修正して再度取り込んでください。"
    ),
    "dq_none": "隔離された行はありません。データセットのすべての行を使用しました。",
    "col_row": "行",
    "col_file": "ファイル",
    "col_reason": "理由",
    "dq_more": "… ほか {n} 行（`alignscope info --json` を参照）。",
    "dq_summary": "使用 {used} 行、隔離 {q} 行。",
    "me_metrics": "指標の定義",
    "me_params": "使用したパラメーター",
    "me_references": "参考文献",
    "me_notes": "分析時の注記",
    "par_n": "サンプル数",
    "par_k": "近傍数 k",
    "par_seed": "乱数シード",
    "par_label": "ラベル列",
    "par_default_pair": "既定のペア",
    "par_discretisation": "相互作用のための離散化",
    "par_discretisation_value": "L2 正規化 → PCA(5) → モダリティごとの k-means クラスタ。可能なセル数 {possible}",
    "par_discretisation_value_probe": "各モダリティのプローブが交差検証で出力したクラス確率を、KL ダイバージェンスで"
                                      "クラスタリング。可能なセル数 {possible}",
    "par_probes": "プローブ",
    "par_probes_value": "線形、層化 {folds} 分割交差検証",
    "par_retrieval": "検索評価の分割",
    "par_retrieval_value": "学習 {n_train} ペア／評価 {n_test} ペア",
    "par_intervals": "区間",
    "par_intervals_value": "95 % ブートストラップ パーセンタイル区間",
    "par_normalisation": "埋め込みの前処理",
    "par_normalisation_value": "各行を L2 正規化。k 近傍はコサイン類似度で求め、自分自身は除外",
    "par_attachment": "添付ファイル",
    "par_attachment_value": "{name}：サンプルごとのスコア（PDF の添付ファイル欄から開けます）",
    "overlap_def": "近傍の重なり（CSV の neighbour_overlap 列）：|N_画像(i) ∩ N_報告書(i)| / k。サンプル i の近傍のうち両方の空間で共通するものの割合。",
    'al_probe_table': '「{label}」に対する線形プローブ（各エンコーダー単独でのラベル予測性能）',
    'col_model': 'モデル',
    'col_modality': 'モダリティ',
    'col_accuracy': '正解率',
    'col_macro_f1': 'マクロ F1',
    'probe_chance': '偶然の水準（最頻クラス）：{chance}',
    'al_no_probes': '未算出：プローブにはラベル列が必要ですが、利用できないためタスク性能は測定していません。',
    # issue 19: every column defined where it appears; notes beside the numbers (engine/report/sections.py)
    "al_ladder_def": (
        "画像・テキスト・融合プローブ：そのエンコーダの埋め込みから「{label}」を予測する線形プローブの正解率"
        "（交差検証で正しく分類されたサンプルの割合。常に最頻クラスを答えた場合は {chance}）。性能：画像プローブと"
        "テキストプローブの正解率の平均で、下の図の縦軸です。{metric}：{definition}"
    ),
    "al_ladder_def_nolabel": "プローブと性能の列にはラベル列が必要です。{metric}：{definition}",
    "al_probe_def": (
        "正解率：プローブが「{label}」を正しく予測したサンプルの割合（交差検証）。マクロ F1：クラスごとの F1 を"
        "同じ重みで平均した値で、常に最頻クラスを答えると低くなります。所見と推奨事項はマクロ F1 を用います。"
    ),
    "probe_below_chance": "常に最頻クラスを答える場合と同程度以下",
    "sum_probe_below": (
        "単一モダリティの最良プローブは「{label}」を正解率 {acc} で予測します（{model}）。これは常に最頻クラスを"
        "答えた場合（{chance}）と同程度以下で、線形プローブで見る限り、どちらのエンコーダもこれを予測する情報を持っていません。"
    ),
    "sum_notes": "これらの数値についての注記",
    "het_transfer_negative": (
        "転移損失の測定値は 1 サンプルあたり {value} ビットです。0 を下回ったのは偶然によるもので（損失の期待値は 0 以上）、"
        "0 と読んでください。図では 0 として描いています。"
    ),
}


METRIC_DEFINITIONS: dict[str, str] = {
    "mutual_knn": "各サンプルの k 個の最近傍のうち、両方の空間で同じものの割合の平均（0–1、偶然の水準 ≈ k/(n−1)）。",
    "cycle_knn": "報告書空間の近傍へ移り、画像空間の近傍をたどって自分自身に戻れるサンプルの割合。",
    "lcs_knn": "順位付きの 2 つの近傍リストの最長共通部分列の長さの平均（0–k）。",
    "cka_linear": "2 つの空間のサンプル間類似度行列（内積カーネル）がどれだけ似ているか（0–1）。",
    "cka_rbf": "ガウスカーネルによる同じ比較で、全体よりも局所的な構造に敏感（0–1）。",
    "unbiased_cka_linear": "不偏 HSIC 推定量を用いた線形 CKA。無関係な空間ではサンプル数によらずほぼ 0。",
    "unbiased_cka_rbf": "不偏 HSIC 推定量を用いた RBF CKA。",
    "cknna": "相互に最近傍であるサンプル対に限定した CKA で、局所的な一致に注目する指標。",
    "svcca": "2 つの空間の上位特異方向どうしの正準相関の平均（0–1）。",
}
