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
    "h_suspects_weak": "このデータでは要確認ペアの判定が弱く (自己テスト AUC {auc:.2f})、一覧は確認用の順位づけのみで、"
                       "食い違いとは判定していません",
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
    # 推奨 (engine.study.recommend の規則、"r_<規則 id>")
    "r_no_label": "まだ分かりません: ラベル列がないため、単一モダリティの基準性能と重なりを測定できません。ラベル列を追加してください。",
    "r_pid_unreliable": "まだ分かりません: 相互作用の推定はラベル付きペア {n} 組、非空セルあたり "
                        "{samples_per_occupied_cell:.1f} サンプルに基づいています。AlignScope の区間がその被覆率を保つのは "
                        "{min_rows:g} 組以上、セルあたり {min_samples:g} サンプル以上です。ラベル付きペアを増やしてください。",
    "r_no_label_signal": "いいえ、まだです: 最良の単一モダリティのマクロF1 は {best_f1:.2f} で、常に最多クラスを答えた場合 "
                         "({majority_f1:.2f}) と変わりません。整合させて共有できるラベル情報がありません。ラベル列を確認してください。",
    "r_baseline_strong": "いいえ、まだです: {best_modality}だけでマクロF1 {best_f1:.2f} に達しています (AlignScope は "
                         "{strong_f1:.2f} 以上を十分と見なします)。論文の判断規則では、基準性能が低い場合にのみ投資します。",
    "r_baseline_weak": "最良の単一モダリティ ({best_modality}) のマクロF1 は {best_f1:.2f} で、AlignScope の基準 "
                       "{strong_f1:.2f} を下回ります: 基準性能は低い水準です。",
    "r_overlap_not_real": "いいえ、まだです: 冗長性は、両モダリティがラベルについて持つ {total:.2f} ビットの {share:.0%} "
                          "です (区間 {share_lo:.0%}–{share_hi:.0%}、AlignScope の基準は {min_share:.0%} 以上かつ各固有情報以上)。"
                          "論文の判断規則では重なりが実在する場合にのみ投資し、整合が性能に結びつくのは情報の大半が共有されている場合だけです。",
    "r_overlap_uncertain": "まだ分かりません: 冗長性はラベル情報の {share:.0%} ですが、その区間 ({share_lo:.0%}–{share_hi:.0%}) "
                           "が AlignScope の基準 {min_share:.0%} をまたいでいます。ラベル付きペアを増やしてください。",
    "r_overlap_real": "冗長性はラベルについての {total:.2f} ビットの {share:.0%} です (区間 {share_lo:.0%}–{share_hi:.0%}): "
                      "重なりは実在します。",
    "r_ladder_missing": "まだ分かりません: 基準性能は低く重なりも実在しますが、整合がタスク性能を動かすかを確かめるには "
                        "少なくとも {min_pairs} 個の{over}が必要です (このプロジェクトは {n_pairs} 個)。"
                        "各ラダーのエンコーダーを追加するか、--layers 付きで埋め込んでください。",
    "r_ladder_flat": "いいえ、まだです: {n_pairs} 個の{over}で、整合は性能と連動していません (スピアマン "
                     "{spearman:.2f}、区間 {spearman_lo:.2f}–{spearman_hi:.2f})。論文も、整合は性能の信頼できる代理指標では"
                     "ないとしています。",
    "r_ladder_positive": "{n_pairs} 個の{over}で、整合は性能と連動しています (スピアマン {spearman:.2f}、区間 "
                         "{spearman_lo:.2f}–{spearman_hi:.2f})。",
    "r_retrieval_gain_small": "いいえ、まだです: 学習した整合は、学習前の空間の最良の線形写像に比べて再現率@10 を "
                              "{gain:+.2f} しか改善しません (AlignScope の基準 {min_gain:.2f})。",
    "r_retrieval_gain_useful": "学習した整合は、学習前の空間の最良の線形写像に比べて再現率@10 を {gain:+.2f} 改善します "
                               "(AlignScope の基準 {min_gain:.2f})。",
    "r_high_heterogeneity": "両空間の関係は非線形です (線形欠損 {linear_deficit:.2f})。論文は異質性が大きいほど整合が"
                            "下がるとしているため、ここで整合が低いのは想定どおりで、それだけでモダリティが何も共有していない"
                            "証拠にはなりません。",
    "r_weaker_modality": "弱い側は{weaker}です: まずそのエンコーダーを改善してください (マクロF1 {weaker_f1:.2f}、"
                         "もう一方は {stronger_f1:.2f})。",
    "r_invest": "はい、投資する価値があります: 基準性能が低く (マクロF1 {best_f1:.2f})、重なりが実在し (冗長性はラベル情報の "
                "{share:.0%})、{n_pairs} 個の{over}で整合が性能と連動しています (スピアマン {spearman:.2f})。これは論文の"
                "投資条件であり、効果を保証するものではありません。整合させたモデルを基準と比べて測定してください。",
    "r_invest_gain": "はい、投資する価値があります: 基準性能が低く (マクロF1 {best_f1:.2f})、重なりが実在し (冗長性はラベル"
                     "情報の {share:.0%})、{n_pairs} 個の{over}で整合が性能と連動し (スピアマン {spearman:.2f})、学習した整合で"
                     "再現率@10 が {gain:+.2f} 向上します。これは論文の投資条件であり、効果を保証するものではありません。"
                     "整合させたモデルを基準と比べて測定してください。",
    "question": "明示的な整合に投資する価値はありますか？",
    "modality_image": "写真",
    "over_model pairs": "エンコーダー組",
    "over_layer pairs": "既定のエンコーダー組の層の組",
    "modality_text": "報告書",
}
