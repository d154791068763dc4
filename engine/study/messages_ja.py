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
    "h_agree": "写真と報告書は偶然の {ratio:.1f} 倍一致しています (相互k近傍 {value:.3f}、偶然 {chance:.2g})",
    "h_agree_chance": "写真と報告書の一致は偶然と区別できません (相互k近傍 {value:.3f}、偶然 {chance:.2g})",
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
    "f_pid_shared": "重なり (部分情報分解 PID、単位はビット): 冗長性 R = {r:.3f}、画像に固有 U = {u_img:.3f}、報告書に固有 U = "
                    "{u_txt:.3f}、相乗効果 S = {s:.3f}、ラベルについての情報量 I = {total:.3f} ビットのうち"
                    "冗長性が {share:.0%} を占め、両モダリティはラベル情報を共有しています。",
    "f_pid_not_shared": "重なり (部分情報分解 PID、単位はビット): 冗長性 R = {r:.3f}、画像に固有 U = {u_img:.3f}、報告書に固有 U = "
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
    "f_corr": "{over} {n} 個にわたる整合と性能の関係: スピアマン {spearman:.2f}、ピアソン {pearson:.2f}。{reason}。",
    "f_corr_not_meaningful": "{over} {n} 個にわたる整合と性能の関係: スピアマン {spearman:.2f}、ピアソン "
                             "{pearson:.2f}。意味のある値ではありません: {reason}。",
    "f_retrieval": "明示的整合の試行 (評価用 {n_test} ペア): 再現率@10 (両方向の平均) は、学習していない空間の"
                   "最良の線形写像で {base:.2f}、{method}で {best:.2f} ({gain:+.2f})。偶然の水準は {chance:.3f}。",
    "f_heterogeneity": "異質性: 非線形ギャップ {gap:.2f} (0 = 両空間は線形に対応)、線形不足度 {deficit:.2f} "
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
                        "{over}が少なくとも {min_pairs} 個必要です (このプロジェクトは {n_pairs} 個)。"
                        "各ラダーのエンコーダーを追加するか、--layers 付きで埋め込んでください。",
    "r_ladder_flat": "いいえ、まだです: {over} {n_pairs} 個で、整合は性能と連動していません (スピアマン "
                     "{spearman:.2f}、区間 {spearman_lo:.2f}–{spearman_hi:.2f})。論文も、整合は性能の信頼できる代理指標では"
                     "ないとしています。",
    "r_ladder_positive": "{over} {n_pairs} 個で、整合は性能と連動しています (スピアマン {spearman:.2f}、区間 "
                         "{spearman_lo:.2f}–{spearman_hi:.2f})。",
    "r_retrieval_gain_small": "いいえ、まだです: 学習した整合は、学習前の空間の最良の線形写像に比べて再現率@10 を "
                              "{gain:+.2f} しか改善しません (AlignScope の基準 {min_gain:.2f})。",
    "r_retrieval_gain_useful": "学習した整合は、学習前の空間の最良の線形写像に比べて再現率@10 を {gain:+.2f} 改善します "
                               "(AlignScope の基準 {min_gain:.2f})。",
    "r_high_heterogeneity": "両空間の関係は非線形です (線形不足度 {linear_deficit:.2f})。論文は異質性が大きいほど整合が"
                            "下がるとしているため、ここで整合が低いのは想定どおりで、それだけでモダリティが何も共有していない"
                            "証拠にはなりません。",
    "r_weaker_modality": "弱い側は{weaker}です: まずそのエンコーダーを改善してください (マクロF1 {weaker_f1:.2f}、"
                         "もう一方は {stronger_f1:.2f})。",
    "r_invest": "はい、投資する価値があります: 基準性能が低く (マクロF1 {best_f1:.2f})、重なりが実在し (冗長性はラベル情報の "
                "{share:.0%})、{over} {n_pairs} 個で整合が性能と連動しています (スピアマン {spearman:.2f})。これは論文の"
                "投資条件であり、効果を保証するものではありません。整合させたモデルを基準と比べて測定してください。",
    "r_invest_gain": "はい、投資する価値があります: 基準性能が低く (マクロF1 {best_f1:.2f})、重なりが実在し (冗長性はラベル"
                     "情報の {share:.0%})、{over} {n_pairs} 個で整合が性能と連動し (スピアマン {spearman:.2f})、学習した整合で"
                     "再現率@10 が {gain:+.2f} 向上します。これは論文の投資条件であり、効果を保証するものではありません。"
                     "整合させたモデルを基準と比べて測定してください。",
    "question": "明示的な整合に投資する価値はありますか？",
    "modality_image": "写真",
    "modality_text": "報告書",
    "list_separator": "。",
    "list_comma": "、",
    "sentence_space": "",
    # 語 (engine.study.messages.WORD_PARAMS)
    "over_model_pairs": "エンコーダー組",
    "over_layer_pairs": "既定のエンコーダー組の層の組",
    "over_image_layers_(text_model_held_fixed)": "画像エンコーダーの層 (報告書側のモデルは固定)",
    "over_text_layers_(image_model_held_fixed)": "報告書エンコーダーの層 (画像側のモデルは固定)",
    "unit_model_pair": "エンコーダー組",
    "unit_layer_pair": "層の組",
    "unit_layer": "層",
    "units_model_pairs": "エンコーダー組",
    "units_layer_pairs": "層の組",
    "units_layers": "層",
    "method_linear_map": "線形写像（エンコーダーの学習なし）",
    "method_cca": "正準相関分析",
    "method_contrastive": "対照学習ヘッド",
    "discretization_probe": "プローブ",
    "discretization_kmeans": "k-means クラスタリング",
    "correction_jackknife": "ジャックナイフ法",
    "metric_mutual_knn": "相互k近傍",
    "metric_cycle_knn": "サイクルk近傍",
    "metric_lcs_knn": "最長共通部分列k近傍",
    "metric_cka_linear": "線形CKA",
    "metric_cka_rbf": "RBFカーネルCKA",
    "metric_unbiased_cka_linear": "不偏線形CKA",
    "metric_unbiased_cka_rbf": "不偏RBFカーネルCKA",
    "metric_cknna": "相互近傍CKA",
    "metric_svcca": "特異ベクトル正準相関",
    # 異質性スコアの意味 (engine.study.heterogeneity)
    "het_meaning_nonlinear_gap": "モダリティ間の予測可能性のうち、非線形モデルでしか捉えられない割合 (0 = 両空間は線形に"
                                 "対応、1 = 非線形にしか対応しない)。値が大きいほど、単純な線形の整合層では共有構造の多く"
                                 "が使われずに残ります。",
    "het_meaning_linear_deficit": "各埋め込み空間のうち、もう一方から線形写像で再現できない割合 (0 = 完全に線形な関係、"
                                  "1 = 線形な共通部分なし)。異質性と、各モダリティに固有の情報の両方を含みます。",
    "het_meaning_transfer": "一方のモダリティで学習した欠陥分類器を、最良の線形写像を介して他方に適用したときに失われる"
                            "サンプルあたりのラベル情報量 (ビット)。0 に近いほど、画像で学習したモデルが報告書に (その"
                            "逆も) 転用でき、大きいほど両モダリティはラベルを異なる形で表現しています。",
    # 整合と性能の相関に意味があるか (engine.study.ladder)
    "corr_too_few_one": "{unit}が {n} 個しかありません。{min_pairs} 個未満では相関を偶然と区別できません。整合が"
                        "性能に連動するかを確かめるには、各ラダーのエンコーダー (またはその層) を追加で埋め込んで"
                        "ください",
    "corr_too_few": "{units}が {n} 個しかありません。{min_pairs} 個未満では相関を偶然と区別できません。整合が"
                    "性能に連動するかを確かめるには、各ラダーのエンコーダー (またはその層) を追加で埋め込んで"
                    "ください",
    "corr_no_spread": "ばらつきがありません: すべての{unit}で整合度または性能が同じ値です",
    "corr_includes_zero": "{units} {n} 個。スピアマン相関の区間 [{lo:.2f}, {hi:.2f}] が 0 を含むため、ここでは"
                          "整合と性能の間に信頼できる関係は見られません",
    "corr_excludes_zero": "{units} {n} 個。区間は 0 を含みません",
    # 相互作用の推定をどこまで信頼できるか (engine.study.interactions, engine.study.discretize)
    "pid_sparse": "同時分布が疎です。{n} サンプルが {occupied} 個の非空セル ({n1} × {n2} 符号 × {ny} クラス) に"
                  "分かれ、非空セルあたり {per_cell:.1f} サンプルしかありません (区間の妥当性を確かめたのは "
                  "{min_per_cell:g} サンプル以上)。ラベル付きペアを増やすか、クラスタ数を減らしてください",
    "pid_small_sample": "ラベル付きペアが {n} 組しかなく、区間の妥当性を確かめた {min_rows} 組に届きません。"
                        "まれな組み合わせに相乗効果が隠れている可能性があります。ラベル付きペアを増やしてください",
    "pid_kept_information": "{modality}: 離散化で残るのは、プローブが読み取るラベル情報 {probe:.3f} ビットのうち "
                            "{kept:.3f} ビット ({percent:.0f} %) だけです。分解はこのモダリティが持つ情報を"
                            "過小評価しています",
    # 分析時の注記 (engine.study.analyze, engine.study.stages, engine.study.retrieval)
    "n_pid": "相互作用 (PID): {warning}。",
    "n_cached": "プロジェクトファイルに保存済みの分析結果を読み込みました。",
    "n_not_cached": "分析結果をプロジェクトファイルに保存できませんでした ({error})。",
    "n_label_missing": "{n} サンプルのうち {missing} サンプルは「{column}」の値がないため、プローブ、PID、異質性の"
                       "転移損失から除外しました。",
    "n_label_single": "「{column}」の値のうち {count} 種類は 1 回しか現れないため、プローブと PID から除外しました: "
                      "{values}。",
    "n_label_one_class": "ラベル「{column}」のクラスが 2 つ未満のため、プローブと PID を省略しました。",
    "n_no_torch": "この環境には torch がインストールされていないため、対照学習ヘッドを省略しました。",
    "n_suspects_too_few": "要確認ペア: {n} 組では交差適合に足りません ({min_pairs} 組必要)。一覧は近傍の重なりだけで"
                          "順位付けしています。",
    "n_suspects_failed": "要確認ペアのスコアを計算できませんでした: {error}。",
    "n_layers_subsample": "層ごとの整合は {n:,} ペアから無作為に選んだ {rows:,} ペアで計算しました (層ごとの k 近傍"
                          "グラフの計算量は n² に比例するため)。",
    "n_intervals": "区間: {knn_metrics} はブートストラップ {bootstrap} 回と並べ替え {permutations} 回、"
                   "{linear_metrics} は {linear_bootstrap} 回と {linear_permutations} 回。カーネル系の指標と "
                   "SVCCA には区間を付けていません (再標本化のたびに全体の再計算が必要なため)。区間は 95% パーセンタイル"
                   "区間で、各指標の値域に収めています (k 近傍系の指標は全データのグラフ上のサンプルごとのスコアを"
                   "再標本化し、その他の指標は抽出された異なるペアで再計算)。並べ替え帰無分布: B の行をシャッフルし、"
                   "p = (1 + 帰無値が観測値以上の回数)/(1 + N)。",
    "n_as_recorded": "{text}",
    # 指標計算の注記 (engine.metrics)
    "mn_knn_provider": "k 近傍グラフは {provider} で計算しました。",
    "mn_svcca_zero_var": "SVCCA: {side} には分散 0 の列が {count} 列あります ({shown})。中心化のみの SVCCA は"
                         "これらを無視します (分散を持たないため)。標準化する SVCCA では 0 で割ることになります。",
    "mn_rbf_subsample": "RBF CKA は {n} ペアから無作為に選んだ {m} ペアで計算しました (シード {seed})。厳密な RBF "
                        "カーネルの計算量は O(n²·d) のためです。",
    "mn_undefined": "{metric} はこのデータでは定義できないため (自己類似度の項が 0 以下。サンプルが少なすぎるか"
                    "退化している)、NaN としました。",
    "mn_uncertainty_subsample": "{metrics} の不確かさは {n} ペアから無作為に選んだ {m} ペアで計算しました (シード "
                                "{seed})。p 値はその部分標本での値と比べています。",
    "mn_skipped": "再標本化のうち {count} 回は、ある指標には小さすぎるか退化していた (異なるペアが 4 組未満など) "
                  "ため省きました。",
    "mn_bootstrap": "ブートストラップ: ペアを {n} 回再標本化し、95% パーセンタイル区間を求めました。k 近傍系の"
                    "指標は全データのグラフ上のサンプルごとのスコアを再標本化し、その他の指標は抽出された異なる"
                    "ペアで再計算しています (保守的)。",
    "mn_permutation": "並べ替え帰無分布: B の行を {n} 回シャッフルしました。p = (1 + 帰無値が観測値以上の回数)/(1 + N)。",
    "mn_svcca_fewer": "SVCCA: {d} 方向ではなく {used} 方向で計算しました。分散のある方向は A に {rank_a}、B に "
                      "{rank_b} しかありません (報告書が短い選択肢から選ばれている、またはサンプル数が方向数より"
                      "少ないなど)。ブートストラップの再標本も同じく制限されます。",
    "mn_svcca_undefined": "SVCCA: 定義できません。分散のある方向は A に {rank_a}、B に {rank_b} しかありません "
                          "(分散をまったく持たない空間)。",
    # 分析に使うモデル (engine.study.model_choice)
    "models_reason": "画像 {image} ({image_why})、報告書 {text} ({text_why})",
    "why_requested": "ユーザーが指定",
    "why_default": "既定のモデル",
    "why_language": "報告書の言語を読めるモデル",
    "why_first": "プロジェクト内で最初に見つかった、埋め込みが揃っているモデル",
    # 各ペアのスコアの理由 (engine.pairs.result.PairScores.reason_messages)
    "pr_report_rank": "この画像に対して、報告書は {n:,} 件中 {rank:,} 位",
    "pr_image_rank": "この報告書に対して、画像は {n:,} 件中 {rank:,} 位",
    "pr_classes_differ": "画像からの判定は {image_class} (p={image_p:.2f})、報告書からの判定は {report_class} "
                         "(p={report_p:.2f})",
    "pr_classes_agree": "画像・報告書ともに {image_class} と判定 (p={image_p:.2f} と {report_p:.2f})",
    "pr_tied_one": "ほかの {n} 組と同じスコアのため、ID 順に配置",
    "pr_tied": "ほかの {n} 組と同じスコアのため、ID 順に配置",
    "pr_overlap": "最近傍のうち両空間で共通するのは {share:.0%}",
    # データセットの行を隔離した理由 (engine.study.messages_recorded が英語の理由から読み取る)
    "q_missing_image": "ファイルがありません",
    "q_missing_file": "{what}ファイル {name} がありません",
    "q_empty_report_whitespace": "報告書が空です (空白のみ)",
    "q_empty_report": "報告書が空です",
    "q_zero_bytes": "0 バイトの空ファイルです",
    "q_report_zero_bytes": "報告書ファイル {name} が 0 バイトです",
    "q_not_image": "画像ではありません (形式を認識できません)",
    "q_too_many_pixels_size": "画素数が多すぎます ({width}×{height} = {pixels}、上限 {limit})。展開爆弾の可能性があるため"
                              "読み込みを拒否しました",
    "q_too_many_pixels": "画素数が多すぎます。展開爆弾の可能性があるため読み込みを拒否しました",
    "q_truncated": "画像が途中で切れています ({detail})",
    "q_corrupt": "画像が壊れています ({detail})",
    "q_jpeg_cut": "画像データの後に終端マーカーがなく、ファイルは {size} バイト目で終わっています",
    "q_no_memory": "デコードに必要なメモリーが足りません",
    "q_undecodable_row": "この行の文字を読み取れません (UTF-8 でも CP932 でもありません)",
    "q_undecodable_file": "{name} の文字を読み取れません ({lines} 行目: {encoding} ではありません。UTF-8 で保存して"
                          "ください)",
    "q_empty_id": "ID が空です",
    "q_no_path": "{what}のパスが指定されていません",
    "q_nul_path": "{what}のパスに NUL 文字が含まれています (拒否しました)",
    "q_duplicate_id": "ID「{id}」が重複しています ({rows} 行目にもあります)",
    "q_folder": "ファイルではありません (フォルダーではありませんか？)",
    "q_escapes": "{what}のパス「{name}」はデータセットのフォルダー {root} の外を指しています (拒否しました。"
                 "そこにあるファイルを読むには --allow-outside {folder} を指定してください)",
    "q_symlink": "{what}「{name}」はデータセットのフォルダー {root} の外にある {target} へのシンボリックリンクです "
                 "(拒否しました。そこにあるファイルを読むには --allow-outside {folder} を指定してください)",
    "q_unresolvable": "{what}のパス「{name}」を解決できません ({error})",
    "q_cannot_read": "{what}ファイル「{name}」を読み込めません ({error})",
    "q_too_large": "{what}ファイル「{name}」は {size} で、{what2}ファイルの上限 {limit} を超えています (拒否しました)",
    "q_special_file": "{what}「{name}」は{kind}",
    "q_control": "{what}の {position} 文字目に制御文字 {char} があります。マニフェストの行から削除してください",
    "q_not_utf8": "{what}が正しい UTF-8 ではありません ({position} 文字目のバイト {byte})。ファイル名を変えるか、"
                  "マニフェストのセルを直してください",
    "q_unusable": "{encoder}「{model}」がこの{what}に対して NaN、無限大、または異常な値 (±{limit} を超える値) を"
                  "出力したため、この行を除外しました",
    "encoder_image": "画像エンコーダー",
    "encoder_text": "報告書エンコーダー",
    "q_library": "画像ライブラリのメッセージ「{text}」",
    "qw_image": "画像",
    "qw_report": "報告書",
    "qw_id": "ID",
    "qw_image_path": "画像のパス",
    "qw_report_text": "報告書のテキスト",
    "qw_report_file_path": "報告書ファイルのパス",
    "qw_report_file": "報告書ファイル {name} ",
    "qw_column": "列「{column}」",
    "qk_folder": "フォルダーで、ファイルではありません",
    "qk_device": "デバイスファイルで、通常のファイルではありません (拒否しました)",
    "qk_pipe": "名前付きパイプで、通常のファイルではありません (拒否しました)",
    "qk_socket": "ソケットで、通常のファイルではありません (拒否しました)",
    "qk_other": "通常のファイルではありません (拒否しました)",
    # エンジンの処理の進み具合 (engine.study.messages_recorded が英語から読み取る)
    "p_validating": "行を検証しています",
    "p_copying_images": "画像をコピーしています",
    "p_demo_written": "デモを書き出しました",
    "p_writing_demo": "デモのデータセットを書き出しています",
    "p_writing_samples": "サンプル表を書き込んでいます",
    "p_model_done": "{model}: すべての行が埋め込み済みです",
    "p_model_embedding": "{model}: 埋め込み中",
    "p_model_starting": "{model}: 開始しています",
    "p_encoding_with": "{model} で符号化しています",
    "p_importing": "{model} を取り込んでいます",
    "p_metrics_done": "指標の計算が終わりました",
    "p_neighbours_a": "A の最近傍",
    "p_neighbours_b": "B の最近傍",
    "p_rbf_cka": "RBFカーネルCKA",
    "p_linear_cka": "線形CKA",
    "p_bootstrap_rbf": "ブートストラップ (RBF)",
    "p_bootstrap_knn": "ブートストラップ (k近傍)",
    "p_bootstrap_linear": "ブートストラップ (線形)",
    "p_permutations_rbf": "並べ替え検定 (RBF)",
    "p_permutations_knn": "並べ替え検定 (k近傍)",
    "p_permutations_linear": "並べ替え検定 (線形)",
    "p_reading_samples": "サンプルを読み込んでいます",
    "p_reviewed": "確認済みの印",
    "p_neighbours": "最近傍",
    "p_image_projection": "画像空間の投影",
    "p_report_projection": "報告書空間の投影",
    "p_study_results": "分析結果",
    "p_project_ready": "プロジェクトの準備ができました",
    "p_projection_cache": "保存済みの投影",
    "p_projection_ready": "投影ができました",
    "p_reading_model": "{model} を読み込んでいます",
    "p_reducing": "{n} 行を {dims} 個の主成分に縮約しています",
    "p_saving_projection": "投影を保存しています",
    "p_tsne_done": "t-SNE が終わりました",
    "p_tsne_iteration": "{n} 点の t-SNE: 反復 {done}/{total}",
    "p_tsne_affinities": "{n} 点の t-SNE: 最近傍と親和度",
    "p_projection_of": "{model} の {method}",
    "p_trial": "明示的な整合の試行",
    "p_heterogeneity": "異質性",
    "p_interactions": "相互作用 (PID)",
    "p_per_sample": "サンプルごとの一致",
    "p_suspects": "要確認ペア",
    "p_pid_bootstrap": "PID のブートストラップ",
    "p_pid_jackknife": "PID のジャックナイフ法",
    "p_fused_probe": "融合プローブ {pair}",
    "p_metrics": "指標 {image} × {text}",
    "p_probe": "プローブ {model}",
    "p_reading_project": "プロジェクトを読み込んでいます",
    "p_thumbnails": "サムネイルを読み込んでいます",
    "p_figures": "図を描いています",
    "p_layout": "ページを割り付けています",
    "p_writing_pdf": "PDF を書き出しています",
    "p_done": "完了",
    # 大規模データで一部のサンプルだけで計算した処理の注記 (engine.study.scale_notes)
    "n_scale_retrieval_test": "検索: 評価用ペアは {wanted:,} 件 ({n:,} 件の 30 %) ではなく無作為に選んだ {used:,} 件で"
                              "順位づけしました。recall@k は {used:,} 件の中での値です (偶然 k/{used:,})。"
                              "残りのペアは学習に使います",
    "n_scale_contrastive_epochs": "検索: 対照学習ヘッドは {n_train:,} ペアで {full} エポックではなく {epochs} エポック"
                                  "学習しました (最適化は最大 {max_steps:,} ステップ)",
    "n_scale_heterogeneity": "異質性スコアは {n:,} ペアから無作為に選んだ {used:,} ペアで計算しました "
                             "(カーネルリッジ回帰は O(n²) の計算量で、スコアはこの規模より十分小さい数で安定します)",
    "n_scale_probe_axes": "プローブ: 各空間を縮約する 128 本の主軸は、ラベル付き {n:,} ペアから無作為に選んだ "
                          "{used:,} ペアで求めました (射影とプローブはすべてのペアで行います)",
    "n_scale_retrieval_axes": "検索: 128 本の主軸は学習用 {n_train:,} ペアから無作為に選んだ {used:,} ペアで"
                              "求めました (射影はすべてのペアで行います)",
}
