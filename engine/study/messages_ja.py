"""日本語の文 (keys shared with :mod:`engine.study.messages_en`)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # ラベル列を選んだ理由
    "label_named": "「{column}」はラベルらしい名前で、値は {levels} 種類です",
    "label_categorical": "「{column}」は最初のカテゴリ列で、値は {levels} 種類です",
    "label_integer-coded": "「{column}」は最初のカテゴリ列 (整数で符号化されたクラス) で、値は {levels} 種類です",
    "label_context": "「{column}」(製造条件の列、値は {levels} 種類) はユーザーが指定しました",
    "label_others": "。ほかの候補: {others}",
    "label_requested": "「{column}」はユーザーが指定しました",
    # 見出し (engine.study.headline)
    "h_agree": "写真と報告書は偶然の {ratio:.1f} 倍一致しています (相互k近傍 {value:.3f}、偶然 {chance:.3f})",
    "h_agree_chance": "写真と報告書の一致は偶然と区別できません (相互k近傍 {value:.3f}、偶然 {chance:.3f})",
    "h_suspects": "{n} 件の報告書が写真と食い違っているようです (誤検出率 {fdr:.0%})",
    "h_suspects_no_signal": "このデータでは、要確認ペアの判定は食い違った報告書と正常な報告書を区別できません",
    "h_carrier_reports": "{label} を予測する情報の大半は写真ではなく報告書にあります ({text:.2f} 対 {image:.2f} ビット)",
    "h_carrier_photos": "{label} を予測する情報の大半は報告書ではなく写真にあります ({image:.2f} 対 {text:.2f} ビット)",
    "h_carrier_both": "写真と報告書は {label} を同程度に予測します ({image:.2f} と {text:.2f} ビット)",
    "h_separator": "。",
    "h_end": "。",
    # findings
    "f_no_label": "ラベル列が指定されず、見つかりもしなかったため、単一モダリティの基準性能、相互作用 (PID)、"
                  "整合と性能の関係は測定できませんでした。整合と要確認ペアのみを報告します。",
    "f_baseline_strong": "単一モダリティの基準性能: 最良の単一エンコーダー {model} ({modality}) はマクロF1 "
                         "{f1:.2f} [95 %信頼区間 {f1_lo:.2f}–{f1_hi:.2f}]、正解率 {acc:.2f} "
                         "(常に最多クラスを答えた場合 {chance:.2f}) に達しており、十分に高い水準です "
                         "(≥ {threshold:.2f})。",
    "f_baseline_weak": "単一モダリティの基準性能: 最良の単一エンコーダー {model} ({modality}) はマクロF1 "
                       "{f1:.2f} [95 %信頼区間 {f1_lo:.2f}–{f1_hi:.2f}]、正解率 {acc:.2f} "
                       "(常に最多クラスを答えた場合 {chance:.2f}) で、{threshold:.2f} を下回るため改善の余地があります。",
    "f_baseline_below_chance": "単一モダリティの基準性能: 最良の単一エンコーダー {model} ({modality}) の正解率は "
                               "{acc:.2f} で、常に最多クラスを答えた場合 ({chance:.2f}) を上回りません。"
                               "どちらの空間もラベルを予測できていません。",
    "f_fused": "2つの埋め込みを単純に連結すると ({pair}) マクロF1 {f1:.2f} [95 %信頼区間 "
               "{f1_lo:.2f}–{f1_hi:.2f}] となり、最良の単一エンコーダーとの差は {gain:+.2f} です。",
    "f_pid_shared": "重なり (PID、ビット): 冗長性 R = {r:.3f}、画像に固有 U = {u_img:.3f}、報告書に固有 U = "
                    "{u_txt:.3f}、相乗効果 S = {s:.3f}、ラベルについての情報量 I = {total:.3f} ビットのうち"
                    "冗長性が {share:.0%} を占め、両モダリティはラベル情報を共有しています。",
    "f_pid_not_shared": "重なり (PID、ビット): 冗長性 R = {r:.3f}、画像に固有 U = {u_img:.3f}、報告書に固有 U = "
                        "{u_txt:.3f}、相乗効果 S = {s:.3f}、ラベルについての情報量 I = {total:.3f} ビットの"
                        "うち冗長性は {share:.0%} で、ラベル情報の大半は両モダリティで共有されていません。",
    "f_pid_caution": "注意: {warning}。",
    "f_alignment": "{image} × {text} の整合: 相互k近傍 (k={k}) = {value:.3f}、偶然の水準 ≈ {chance:.3f}。",
    "f_alignment_beyond_chance": "{image} × {text} の整合: 相互k近傍 (k={k}) = {value:.3f} [95 %信頼区間 "
                                 "{lo:.3f}–{hi:.3f}]、偶然の水準 ≈ {chance:.3f}、ペアをシャッフルした"
                                 "帰無分布の平均 {null_mean:.3f} (p = {p:.3g})。両空間は偶然を超えて整合しています。",
    "f_alignment_chance": "{image} × {text} の整合: 相互k近傍 (k={k}) = {value:.3f} [95 %信頼区間 "
                          "{lo:.3f}–{hi:.3f}]、偶然の水準 ≈ {chance:.3f}、ペアをシャッフルした帰無分布の"
                          "平均 {null_mean:.3f} (p = {p:.3g})。偶然と区別できません。",
    "f_corr_none": "整合と性能の関係: 計算できません — {reason}。",
    "f_corr": "{n} 個の{over}にわたる整合と性能の関係: スピアマン {spearman:.2f}、ピアソン {pearson:.2f}。{reason}。",
    "f_corr_not_meaningful": "{n} 個の{over}にわたる整合と性能の関係: スピアマン {spearman:.2f}、ピアソン "
                             "{pearson:.2f}。意味のある値ではありません: {reason}。",
    "f_retrieval": "明示的整合の試行 (評価用 {n_test} ペア): 再現率@10 (両方向の平均) は、学習していない空間の"
                   "最良の線形写像で {base:.2f}、{method} で {best:.2f} ({gain:+.2f})。偶然の水準は {chance:.3f}。",
    "f_heterogeneity": "異質性: 非線形ギャップ {gap:.2f} (0 = 両空間は線形に対応)、線形欠損 {deficit:.2f} "
                       "(一方の空間が他方を線形に再現できない割合)。",
    # recommendation
    "r_no_label": "追加の測定が必要: ラベル (または使える PID) がないため、判断の根拠となる基準性能と重なりが"
                  "不明です。ラベル列を追加してください。",
    "r_sparse": "追加の測定が必要: 相互作用の推定はセルあたり {per_cell:.2f} サンプルしかなく、重なりの値を"
                "信頼できません。サンプルを増やしてください。",
    "r_strong_baseline": "まだ不要: 最良の単一エンコーダー ({model}) がすでにマクロF1 {f1:.2f} に達しており、"
                         "明示的な整合で得られるものはわずかです。",
    "r_little_overlap": "まだ不要: 冗長性は {total:.3f} ビット中 {r:.3f} ビットにすぎず、モダリティを整合させても"
                        "ラベルに関わる部分はほとんど揃いません。",
    "r_no_alignment": "追加の測定が必要: モダリティは重なっていますが、現在のエンコーダーには偶然を超える整合が"
                      "見られません。まず各ラダーのより大きなエンコーダーを試してください。",
    "r_small_gain": "まだ不要: 学習した整合による評価用データの再現率@10 の改善は、最良の線形写像に対して "
                    "{gain:+.2f} にとどまりました。",
    "r_invest": "明示的な整合に投資する価値があります: 基準性能が低く (マクロF1 {f1:.2f})、冗長性は {total:.3f} "
                "ビット中 {r:.3f} ビット、学習した整合で再現率@10 が {gain:+.2f} 向上しました。",
}
