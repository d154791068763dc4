"""Regenerate the Japanese UI translation: alignscope_ja.ts (source) and alignscope_ja.qm (compiled).

    .venv/bin/python resources/i18n/build_translations.py

1. ``pyside6-lupdate`` extracts every ``self.tr(...)`` / ``QCoreApplication.translate(...)`` string
   from ui/ (except ui/report/, which has its own texts);
2. strings passed through small wrappers that lupdate cannot see (``_tr`` in ui/plots/figures*.py,
   ``t("Meaning", ...)`` in ui/views/study_views.py) are added by a regular expression;
3. translations come from :data:`JA` below (English source → Japanese); a string without one is
   reported and left unfinished (Qt then shows the English text);
4. ``pyside6-lrelease`` compiles the .qm that ui/i18n.py loads.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = Path(sys.executable).parent
TS = HERE / "alignscope_ja.ts"
QM = HERE / "alignscope_ja.qm"

WRAPPED = [("ui/plots/figures.py", "Figures", r'_tr\(\s*"((?:[^"\\]|\\.)*)"'),
           ("ui/plots/figures_layers.py", "Figures", r'_tr\(\s*"((?:[^"\\]|\\.)*)"'),
           ("ui/views/study_views.py", "Meaning", r't\(\s*"Meaning",\s*"((?:[^"\\]|\\.)*)"')]

JA: dict[str, str] = {
    "(empty)": "（空）",
    "Spearman ρ = {0:.2f}": "スピアマン ρ = {0:.2f}",
    "Alignment per layer pair ({0})": "層の組ごとの整合度（{0}）",
    "Alignment vs layer depth": "層の深さと整合度",
    "image encoder layer": "画像エンコーダーの層",
    "report encoder layer": "報告書エンコーダーの層",
    "image layers": "画像の層",
    "report layers": "報告書の層",
    "max {0:.3f}": "最大 {0:.3f}",
    "no layers: embed with --layers and run the study": "層がありません: --layers 付きで埋め込み、分析を実行してください",
    "relative depth (0 = first layer, 1 = embedding)": "相対的な深さ（0 = 最初の層、1 = 埋め込み）",
    "other": "その他",
    "Click a point to see the sample": "点をクリックするとサンプルを表示します",
    "Nearest in image space": "画像空間の近傍",
    "Nearest in report space": "報告書空間の近傍",
    "Report": "検査報告書",
    "alignment (shared neighbours) {0:.2f}": "整合度（共有近傍）{0:.2f}",
    "image not readable: {0}": "画像を読み込めません: {0}",
    "Neighbours appear once both spaces are embedded.": "両方の空間を埋め込むと近傍が表示されます。",
    "{0} of {1} neighbours are shared by both spaces (marked ★).": "{1} 件中 {0} 件の近傍が両空間で共通です（★印）。",
    "Drop a project (.h5), a dataset folder or a manifest (CSV, TSV, JSON Lines, Excel) here":
        "プロジェクト (.h5)、データセットのフォルダー、またはマニフェスト（CSV・TSV・JSON Lines・Excel）をここにドロップ",
    "no image": "画像なし",
    "  alignment {0:.2f}": "  整合度 {0:.2f}",
    "New project from a dataset": "データセットから新規プロジェクト",
    "Dataset folder or manifest (CSV, TSV, JSON Lines, Excel)": "データセットのフォルダーまたはマニフェスト（CSV・TSV・JSON Lines・Excel）",
    "Folder…": "フォルダー…",
    "Manifest…": "マニフェスト…",
    "Columns": "列の対応",
    "First rows": "先頭の行",
    "Check the dataset": "データセットを検証",
    "Encoders": "エンコーダー",
    "Project file": "プロジェクトファイル",
    "Create and embed": "作成して埋め込み",
    "Image encoders": "画像エンコーダー",
    "Text encoders": "テキストエンコーダー",
    " (yours)": "（ユーザー登録）",
    " — not exported": " — 未エクスポート",
    "Dataset folder": "データセットのフォルダー",
    "Manifest": "マニフェスト",
    "Manifests (*.csv *.tsv *.txt *.jsonl *.ndjson *.xlsx)": "マニフェスト (*.csv *.tsv *.txt *.jsonl *.ndjson *.xlsx)",
    "No manifest: images with sidecar .txt reports, labels from sub-folders.":
        "マニフェストなし: 同名の .txt 報告書を持つ画像として読み込み、ラベルはサブフォルダー名から取ります。",
    "Not found: {0}": "見つかりません: {0}",
    "{0}: {1} rows, encoding {2}": "{0}: {1} 行、文字コード {2}",
    "(none)": "（なし）",
    "Sample id": "サンプル ID",
    "Image path": "画像パス",
    "Report text": "報告書テキスト",
    "Report file (.txt)": "報告書ファイル (.txt)",
    "Press “Check the dataset” to validate every row before embedding.": "埋め込みの前に「データセットを検証」で全行を確認してください。",
    "Checking every row…": "全行を確認しています…",
    "Checking": "検証中",
    "{0} good rows, {1} quarantined (encoding {2}). Quarantined rows are listed below and will not be embedded.":
        "正常 {0} 行、隔離 {1} 行（文字コード {2}）。隔離された行は下に一覧表示され、埋め込まれません。",
    "Row": "行",
    "File": "ファイル",
    "Reason": "理由",
    "Embedding": "埋め込み",
    "Label used: {0}": "使用したラベル: {0}",
    "Run the study to see interactions and retrieval.": "分析を実行すると、相互作用と検索の結果が表示されます。",
    "Unexpected error: {0}": "予期しないエラー: {0}",
    "Cancel": "キャンセル",
    "{0:.1f}/s": "{0:.1f} 件/秒",
    "ETA {0}": "残り {0}",
    "{0}: cancelling…": "{0}: キャンセルしています…",
    "Run the study to compare every image × text encoder pair.": "分析を実行すると、画像×テキストの全エンコーダー組を比較できます。",
    "Could not save": "保存できませんでした",
    "Overview": "概要",
    "Spaces": "表現空間",
    "Suspect pairs": "要確認ペア",
    "Ladder": "モデル比較",
    "Interactions": "相互作用",
    "Data quality": "データ品質",
    "&File": "ファイル(&F)",
    "&Open project…": "プロジェクトを開く(&O)…",
    "&New project from dataset…": "データセットから新規作成(&N)…",
    "Open the &demo": "デモを開く(&D)",
    "&Recent projects": "最近のプロジェクト(&R)",
    "Export &selection as CSV…": "選択を CSV に書き出す(&S)…",
    "&Close project": "プロジェクトを閉じる(&C)",
    "&Quit": "終了(&Q)",
    "&View": "表示(&V)",
    "&Theme": "テーマ(&T)",
    "Light": "ライト",
    "Dark": "ダーク",
    "&Language": "言語(&L)",
    "System": "システム設定",
    "&Analysis": "分析(&A)",
    "&Run study": "分析を実行(&R)",
    "&Cancel running job": "実行中の処理をキャンセル(&C)",
    "&Help": "ヘルプ(&H)",
    "&About AlignScope": "AlignScope について(&A)",
    "Open project": "プロジェクトを開く",
    "AlignScope project (*.h5)": "AlignScope プロジェクト (*.h5)",
    "Opening {0}": "{0} を開いています",
    "Could not open the project": "プロジェクトを開けませんでした",
    "{0} samples loaded": "{0} サンプルを読み込みました",
    "Study": "分析",
    "The study failed": "分析に失敗しました",
    "Study finished": "分析が完了しました",
    "Embedding stopped": "埋め込みが停止しました",
    "Embedding cancelled: finished rows are kept; run it again to resume.":
        "埋め込みをキャンセルしました。完了した行は保存されています。再実行すると続きから再開します。",
    "Building the demo": "デモを作成しています",
    "Could not build the demo": "デモを作成できませんでした",
    "The language changes the next time AlignScope starts.": "言語は次回 AlignScope を起動したときに切り替わります。",
    "About AlignScope": "AlignScope について",
    "AlignScope {0}\nImage–report representation alignment for quality inspection, offline.\nFollowing Tjandrasuwita et al., ICML 2025.":
        "AlignScope {0}\n品質検査のための画像と検査報告書の表現整合度分析（オフライン）。\nTjandrasuwita ら, ICML 2025 に基づきます。",
    "95% interval {0:.3f} – {1:.3f}": "95% 区間 {0:.3f} – {1:.3f}",
    "chance {0:.3f}": "偶然の水準 {0:.3f}",
    "Label": "ラベル",
    "Run study": "分析を実行",
    "{0} samples · {1} quarantined · image {2} · report {3}": "{0} サンプル · 隔離 {1} · 画像 {2} · 報告書 {3}",
    "Recommendation: {0}": "推奨: {0}",
    "No study result in this project yet. Choose the label column and press “Run study” for interactions, probes, retrieval and a recommendation.":
        "このプロジェクトにはまだ分析結果がありません。ラベル列を選び「分析を実行」を押すと、相互作用・プローブ・検索と推奨が得られます。",
    "Pairs whose image and report have the fewest nearest neighbours in common: the report may not describe this image. Lowest alignment first.":
        "画像と報告書の近傍がほとんど一致しないペアです。報告書がこの画像を記述していない可能性があります。整合度の低い順に表示します。",
    "Filter": "絞り込み",
    "Hide reviewed": "確認済みを隠す",
    "Only the selection": "選択のみ",
    "Mark reviewed": "確認済みにする",
    "Export CSV…": "CSV に書き出す…",
    "(no filter)": "（絞り込みなし）",
    "No per-sample alignment yet: embed both modalities first.": "サンプルごとの整合度はまだありません。先に両方のモダリティを埋め込んでください。",
    "{0} of {1} pairs shown · {2} reviewed": "{1} ペア中 {0} ペアを表示 · 確認済み {2}",
    "{0} pairs marked as reviewed": "{0} ペアを確認済みにしました",
    "Saving reviewed marks": "確認済みの印を保存しています",
    "Export suspect pairs": "要確認ペアを書き出す",
    "CSV (*.csv)": "CSV (*.csv)",
    "Exported {0} pairs to {1}": "{0} ペアを {1} に書き出しました",
    "Id": "ID",
    "{0} samples used, {1} rows quarantined. Source: {2} (encoding {3})": "使用 {0} サンプル、隔離 {1} 行。元データ: {2}（文字コード {3}）",
    "{0} samples used, {1} files quarantined. Source: folder {2}": "使用 {0} サンプル、隔離 {1} ファイル。元データ: フォルダー {2}",
    "Colour by ": "色分け ",
    "Lasso": "投げ縄",
    "Box": "矩形",
    "Pan / zoom": "移動・拡大",
    "{0} ({1}); Shift adds, Ctrl removes": "{0} ({1})。Shift で追加、Ctrl で除外",
    "Clear selection": "選択を解除",
    "Export selection…": "選択を書き出す…",
    "Export plots…": "図を書き出す…",
    "Image space": "画像空間",
    "Report space": "報告書空間",
    "Alignment (shared neighbours)": "整合度（共有近傍）",
    "No embeddings yet: embed both modalities to see the spaces.": "埋め込みがまだありません。両方のモダリティを埋め込むと空間が表示されます。",
    "Image space · {0}": "画像空間 · {0}",
    "Report space · {0}": "報告書空間 · {0}",
    "all samples": "全サンプル",
    "{0} samples · {1} selected": "{0} サンプル · {1} 件選択",
    " · mean alignment of the selection {0:.2f} (all: {1:.2f})": " · 選択の平均整合度 {0:.2f}（全体 {1:.2f}）",
    "Export selection": "選択を書き出す",
    "Exported {0} samples to {1}": "{0} サンプルを {1} に書き出しました",
    "Exported {0} and {1}": "{0} と {1} を書き出しました",
    "How well do your inspection images and inspection reports agree? Open a project, or create one from a folder of images and reports.":
        "検査画像と検査報告書はどれだけ一致していますか？ プロジェクトを開くか、画像と報告書のフォルダーから作成してください。",
    "Open project…": "プロジェクトを開く…",
    "New project from dataset…": "データセットから新規作成…",
    "Open the demo": "デモを開く",
    "Recent projects": "最近のプロジェクト",
    "(none yet)": "（まだありません）",
    "Rank": "順位",
    "Alignment": "整合度",
    "Reviewed": "確認済み",
    "Export PNG/SVG…": "PNG/SVG に書き出す…",
    "Export plot": "図を書き出す",
    "PNG image (*.png);;SVG vector image (*.svg)": "PNG 画像 (*.png);;SVG ベクター画像 (*.svg)",
    "Encoders in this project (device actually used when embedding):": "このプロジェクトのエンコーダー（埋め込みに実際に使われたデバイス）:",
    "complete": "完了",
    "incomplete: embed again to resume": "未完了: 再度埋め込むと続きから再開します",
    "  {0} ({1}, {2}-d) · {3} · sha256 {4}… · {5}": "  {0}（{1}、{2} 次元）· {3} · sha256 {4}… · {5}",
    # figures
    "Alignment vs k ({0})": "k と整合度（{0}）",
    "no alignment curve yet: run the study": "整合度曲線はまだありません: 分析を実行してください",
    "image ↔ report": "画像 ↔ 報告書",
    "chance k/(n−1)": "偶然の水準 k/(n−1)",
    "Alignment per encoder pair ({0})": "エンコーダー組ごとの整合度（{0}）",
    "text encoder": "テキストエンコーダー",
    "image encoder": "画像エンコーダー",
    "no encoder pairs yet: embed and run the study": "エンコーダー組はまだありません: 埋め込み後に分析を実行してください",
    "Alignment vs performance": "整合度と性能",
    "probe accuracy (mean of image and text)": "プローブ正解率（画像とテキストの平均）",
    "needs a label column and at least one encoder pair": "ラベル列と 1 組以上のエンコーダー組が必要です",
    "Interactions about the label (bits)": "ラベルに関する相互作用（ビット）",
    "bits": "ビット",
    "needs a label column: run the study with --label": "ラベル列が必要です: --label を指定して分析してください",
    "Redundancy R": "冗長 R",
    "Unique image U₁": "画像固有 U₁",
    "Unique report U₂": "報告書固有 U₂",
    "Synergy S": "相乗 S",
    "Heterogeneity scores": "異質性スコア",
    "no heterogeneity scores yet": "異質性スコアはまだありません",
    "nonlinear gap": "非線形ギャップ",
    "intrinsic-dimension ratio": "内在次元比",
    "transfer loss (bits)": "転移損失（ビット）",
    "linear deficit": "線形不足度",
    "image → report": "画像 → 報告書",
    "report → image": "報告書 → 画像",
    "Retrieval on held-out pairs ({0})": "検証用ペアでの検索（{0}）",
    "recall@k": "上位 k 件での再現率 (recall@k)",
    "recall": "再現率",
    "no retrieval trial yet: run the study": "検索試験はまだありません: 分析を実行してください",
    "chance": "偶然の水準",
    "Alignment metrics": "整合度指標",
    "no metrics yet": "指標はまだありません",
    # metric meanings
    "Share of each sample's 10 nearest neighbours that are the same in both spaces.":
        "各サンプルの最近傍 10 件のうち、両空間で共通するものの割合。",
    "Share of samples that come back to themselves through a neighbour in the other space.":
        "もう一方の空間の近傍を経由して自分自身に戻ってくるサンプルの割合。",
    "Length of the common ordered part of the two neighbour lists.": "2 つの近傍リストで順序ごと共通する部分の長さ。",
    "Similarity of the two spaces' overall geometry (biased estimate).": "2 つの空間の全体的な幾何の類似度（偏りのある推定）。",
    "Similarity of local geometry with a Gaussian kernel.": "ガウスカーネルによる局所的な幾何の類似度。",
    "Similarity of overall geometry, corrected for sample size (0 = unrelated).": "サンプル数の影響を補正した全体的な幾何の類似度（0 = 無関係）。",
    "Similarity of local geometry, corrected for sample size.": "サンプル数の影響を補正した局所的な幾何の類似度。",
    "Geometry similarity restricted to mutual nearest neighbours.": "相互最近傍に限った幾何の類似度。",
    "Correlation of the top shared directions of the two spaces.": "2 つの空間に共通する主要な方向の相関。",
    # Spaces view: projection choice
    "Projection ": "投影 ",
    "PCA: linear, exact, fast for any size.": "PCA：線形・厳密で、どの規模でも高速です。",
    "t-SNE: nonlinear map that keeps local neighbourhoods; computed once in the background and saved in the project (up to {0} samples).": "t-SNE：局所的な近傍関係を保つ非線形の写像です。バックグラウンドで一度だけ計算し、プロジェクトに保存します（{0} サンプルまで）。",
    "t-SNE needs a saved project with embeddings.": "t-SNE には埋め込み済みの保存されたプロジェクトが必要です。",
    "t-SNE is available up to {0} samples; this project has {1}. Use PCA.": "t-SNE は {0} サンプルまで利用できます。このプロジェクトは {1} サンプルあるため、PCA を使ってください。",
    "t-SNE needs at least {0} samples.": "t-SNE には {0} サンプル以上が必要です。",
    "{0} projection": "{0} 投影",
    "Computing {0}… the current projection stays visible until it is ready.": "{0} を計算中… 完了するまで現在の投影を表示します。",
    "{0} projection failed: {1}": "{0} 投影に失敗しました: {1}",
    # Import dialog: language of the reports
    "Japanese": "日本語",
    "a non-Latin script": "ラテン文字以外の文字",
    "Warning: {0:.0%} of the reports are written in {1}, but {2} read(s) English only: their text embeddings would be near-meaningless.":
        "警告：報告書の {0:.0%} が{1}で書かれていますが、{2} は英語のみに対応しています。テキスト埋め込みはほぼ意味を持ちません。",
    "Use the multilingual encoder {0}.": "多言語エンコーダー {0} を使ってください。",
    "Use {0}": "{0} を使う",
    "Reports: kana+kanji {0:.0%}, Latin {1:.0%}, other {2:.0%} of the letters.":
        "報告書の文字：かな・漢字 {0:.0%}、ラテン文字 {1:.0%}、その他 {2:.0%}。",
    # suspect pairs: table, trust line, reasons, detail pane, colouring
    "Image": "画像",
    "Suspect score": "要確認スコア",
    "q": "q",
    "Neighbour overlap": "近傍の重なり",
    "How suspect is this pair, and why": "このペアの要確認度とその理由",
    "neighbour overlap {0:.2f}": "近傍の重なり {0:.2f}",
    "Suspect score {0} · q {1} · rank {2} of {3}": "要確認スコア {0} · q {1} · {3} 件中 {2} 位",
    "The self-test found no signal on this data: this pair is not called suspect.":
        "このデータでは自己テストで判別力が確認できなかったため、このペアを要確認とは判定しません。",
    "Flagged: likely a mismatch (q ≤ {0}).": "判定: 食い違いの可能性が高いペアです (q ≤ {0})。",
    "No suspect list: on this data the method cannot tell planted wrong reports from normal pairs "
    "(self-test AUC {0:.2f}), so no pair is called suspect.":
        "要確認ペアの一覧はありません: このデータでは、付け替えた報告書と正常なペアを区別できないため"
        "（自己テスト AUC {0:.2f}）、どのペアも要確認とは判定しません。",
    "Self-test on your data: the method finds {0} of {1} planted wrong reports in its top {2} (AUC {3:.2f}).":
        "このデータでの自己テスト: 別の部品に付け替えた {1} 件の報告書のうち {0} 件を上位 {2} 件に挙げました"
        "（AUC {3:.2f}）。",
    "{0} pairs are likely mismatches (q ≤ {1}), highlighted; the rest are ranked for review.":
        "{0} 組は食い違いの可能性が高いペアです (q ≤ {1}、色付きで表示)。残りは確認用に順位づけしています。",
    "The self-test is too weak (AUC below {0:.2f}) to call any pair a mismatch: the pairs are ranked for "
    "review, none is flagged.":
        "自己テストの判別力が弱いため（AUC が {0:.2f} 未満）、食い違いとは判定せず、確認用に順位づけするのみです。",
    "Show the neighbour-overlap ranking instead": "代わりに近傍の重なりの順位を表示",
    "Pairs whose image and report share the fewest nearest neighbours first. This is not a list of suspects: "
    "on weakly aligned data most pairs share none.":
        "画像と報告書の共通する近傍が少ないペアから順に表示します。要確認ペアの一覧ではありません。"
        "整合の弱いデータでは、ほとんどのペアで共通する近傍がありません。",
    "Run the study": "分析を実行",
    "Compute the suspect scores, their self-test and q-values (Ctrl+R).":
        "要確認スコア、その自己テストと q 値を計算します (Ctrl+R)。",
    "Shown instead: every pair by neighbour overlap, lowest first — not a list of suspects.":
        "代わりに全ペアを近傍の重なりが小さい順に表示しています（要確認ペアの一覧ではありません）。",
    "No study yet: the pairs are ranked by neighbour overlap (the share of nearest neighbours the image and "
    "the report have in common), lowest first. Run the study for suspect scores with a self-test and a "
    "false-discovery threshold.":
        "まだ分析していません: ペアは近傍の重なり（画像と報告書で共通する最近傍の割合）が小さい順に並んでいます。"
        "自己テストと誤検出率のしきい値つきの要確認スコアを得るには、分析を実行してください。",
    "The study has no per-pair suspect scores for these samples (too few pairs, or another set of samples): "
    "the pairs are ranked by neighbour overlap, lowest first.":
        "分析結果にこれらのサンプルのペアごとの要確認スコアがありません（ペアが少なすぎるか、別のサンプル集合です）。"
        "ペアは近傍の重なりが小さい順に並んでいます。",
    "No pairs listed · {0} pairs · {1} reviewed": "一覧なし · {0} ペア · 確認済み {1}",
    "Suspect ranking": "要確認の順位",
    "Share of random re-pairings that fit at least as well as this pair, judged by an alignment learned on "
    "the other pairs only: 1 = fits no better than chance.":
        "ほかのペアだけで学習した対応づけで見て、無作為に組み替えたペアのうちこのペア以上によく合うものの割合。"
        "1 は無作為な組み合わせと同程度にしか合わないことを意味します。",
    "Expected share of false alarms if this pair and all above it are called mismatches.":
        "このペアとそれより上のペアをすべて食い違いと判定したときに見込まれる誤検出の割合。",
    "Share of its nearest neighbours that the image and the report have in common.":
        "画像と報告書で共通する最近傍の割合。",
    "Place in the suspect list, most suspect first.": "要確認ペア一覧での順位（最も疑わしいものが 1 位）。",
    "Flagged: q ≤ {0} %": "判定: q ≤ {0} %",
    "the other 75 %": "その他 75 %",
    "top 5–25 %": "上位 5–25 %",
    "top 1–5 %": "上位 1–5 %",
    "top 1 %": "上位 1 %",
    "flagged (q ≤ {0} %)": "判定 (q ≤ {0} %)",
    # strings of other views that the committed .ts had not caught up with
    "Open &log folder": "ログフォルダーを開く(&L)",
    "Log folder: {0}": "ログフォルダー: {0}",
    "{0:.0%} of the reports are not in English, but {1} reads English only: its report embeddings "
    "(alignment, suspect pairs, interactions) mean little here.":
        "報告書の {0:.0%} が英語以外ですが、{1} は英語のみに対応しています。その報告書の埋め込み"
        "（整合度、要確認ペア、相互作用）はここではほとんど意味を持ちません。",
    "The study uses {0}, which reads the reports' language.": "分析には報告書の言語を読める {0} を使います。",
    "Embed the reports with the multilingual encoder: --text-model {0}.":
        "多言語エンコーダーで報告書を埋め込んでください: --text-model {0}。",
    "report encoder": "報告書エンコーダー",
    "mean probe accuracy (image and report)": "プローブ正解率の平均（画像と報告書）",
    "Also read files outside the dataset folder (paths and links that lead elsewhere)":
        "データセットのフォルダー外のファイルも読み込む（ほかの場所を指すパスやリンク）",
    "Off: a row naming a file outside the dataset folder, or a link to one, is quarantined.":
        "オフ: データセットのフォルダー外のファイル（またはそれへのリンク）を指す行は隔離されます。",
    # issue 19: what the import guessed, neighbour overlap named once, notes beside the numbers
    "  neighbour overlap {0:.2f}": "  近傍の重なり {0:.2f}",
    " · mean neighbour overlap of the selection {0:.2f} (all: {1:.2f})": " · 選択範囲の近傍の重なりの平均 {0:.2f}（全体: {1:.2f}）",
    "Encoding": "文字コード",
    "detect": "自動判定",
    "How the manifest and the report files are read. “detect” tells UTF-8, UTF-16/32, CP932 and Windows-1252 apart.":
        "マニフェストと報告書ファイルの読み方。「自動判定」は UTF-8、UTF-16/32、CP932、Windows-1252 を見分けます。",
    "as chosen": "指定どおり",
    "detected": "自動判定",
    "{0}: {1} rows, encoding {2} ({3})": "{0}: {1} 行、文字コード {2}（{3}）",
    "recognised by its name": "列名から判定",
    "an id-like name with a different value on every row": "ID らしい列名で、全行の値が異なる",
    "chosen here": "ここで指定",
    "empty": "空",
    "names a person": "人名",
    "dates or times": "日付・時刻",
    "identifiers": "識別番号",
    "a single value": "値が 1 種類のみ",
    "measurements (non-integer numbers)": "測定値（整数でない数値）",
    "measurements (named like one)": "測定値（列名から判定）",
    "numbers with more than {0} values": "{0} 種類を超える数値",
    "free text": "自由記述",
    "more than {0} values": "{0} 種類を超える値",
    "nearly every row has its own value": "ほぼ全行で値が異なる",
    "No id column: the ids will be the image paths without extension (e.g. {0}). Choose the id column above if the sheet has one.":
        "ID 列がありません: ID は拡張子を除いた画像パスになります（例: {0}）。表に ID 列があれば上で選んでください。",
    "No manifest: every image with the .txt report of the same name beside it; the labels are the sub-folder names.":
        "マニフェストなし: 各画像と、その隣にある同名の .txt 報告書を組にします。ラベルはサブフォルダー名です。",
    "The ids are the image file names without extension (their paths inside the folder when names repeat).":
        "ID は拡張子を除いた画像ファイル名です（同じ名前がある場合はフォルダー内のパス）。",
    "The ids are the image file names without extension (e.g. {0}).": "ID は拡張子を除いた画像ファイル名です（例: {0}）。",
    "Some file names repeat in different sub-folders, so the ids are the image paths inside the folder without extension (e.g. {0}).":
        "別のサブフォルダーに同じファイル名があるため、ID は拡張子を除いたフォルダー内の画像パスです（例: {0}）。",
    "To choose the ids, put a manifest.csv with an id column in the folder.":
        "ID を指定するには、ID 列のある manifest.csv をフォルダーに置いてください。",
    "Label: none found (the study then measures alignment only).": "ラベル: 見つかりません（分析は整合度のみを測ります）。",
    "Label for the study: {0} ({1}).": "分析に使うラベル: {0}（{1}）。",
    "Not offered as labels: {0}.": "ラベル候補から外した列: {0}。",
    "Change the label after the import in the Label box of the Overview.":
        "ラベルは取り込み後に概要画面の「ラベル」欄で変更できます。",
    "Transfer loss measured {0:.2f} bits per sample: below 0 only by chance (a loss cannot be negative in expectation), drawn as 0.":
        "転移損失の測定値は 1 サンプルあたり {0:.2f} ビットです。0 を下回ったのは偶然によるもので"
        "（損失の期待値は負になりません）、図では 0 として描いています。",
    "Performance (y-axis): the mean of the image and the report probe's accuracy on {0}; always answering the commonest class scores {1:.3f}.":
        "性能（縦軸）: {0} に対する画像プローブと報告書プローブの正解率の平均。常に最頻クラスを答えた場合は {1:.3f} です。",
    "Chosen automatically: {0}": "自動選択: {0}",
    "Not offered as labels: {0}": "ラベル候補から外した列: {0}",
    "Notes on these numbers:": "これらの数値についての注記:",
}


def _wrapped_strings() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for rel, context, pattern in WRAPPED:
        text = (ROOT / rel).read_text(encoding="utf-8")
        for m in re.finditer(pattern, text):
            found.setdefault(context, [])
            s = m.group(1).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
            if s not in found[context]:
                found[context].append(s)
    return found


def main() -> int:
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py")
                     if "report" not in p.relative_to(ROOT / "ui").parts)
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.ts"
        subprocess.run([str(BIN / "pyside6-lupdate"), *sources, "-no-obsolete", "-locations", "none", "-ts", str(raw)],
                       cwd=ROOT, check=True, capture_output=True)
        tree = ET.parse(raw)
    root = tree.getroot()
    root.set("language", "ja_JP")
    root.set("sourcelanguage", "en")
    for context, strings in _wrapped_strings().items():
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = context
        for s in strings:
            msg = ET.SubElement(ctx, "message")
            ET.SubElement(msg, "source").text = s
            ET.SubElement(msg, "translation").text = ""
    missing = []
    for msg in root.iter("message"):
        src = msg.find("source")
        tr = msg.find("translation")
        assert src is not None and tr is not None
        text = src.text or ""
        if text in JA:
            tr.text = JA[text]
            tr.attrib.pop("type", None)
        else:
            tr.set("type", "unfinished")
            missing.append(text)
    ET.indent(tree)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(QM)], check=True, capture_output=True)
    total = sum(1 for _ in root.iter("message"))
    print(f"{TS.name}: {total} strings, {total - len(missing)} translated; {QM.name} written")
    for m in missing:
        print(f"  untranslated: {m!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
