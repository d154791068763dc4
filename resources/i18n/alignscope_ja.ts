<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ja_JP" sourcelanguage="en">
  <context>
    <name>Colors</name>
    <message>
      <source>(empty)</source>
      <translation>（空）</translation>
    </message>
    <message>
      <source>other</source>
      <translation>その他</translation>
    </message>
    <message>
      <source>the other 75 %</source>
      <translation>その他 75 %</translation>
    </message>
    <message>
      <source>top 5–25 %</source>
      <translation>上位 5–25 %</translation>
    </message>
    <message>
      <source>top 1–5 %</source>
      <translation>上位 1–5 %</translation>
    </message>
    <message>
      <source>top 1 %</source>
      <translation>上位 1 %</translation>
    </message>
    <message>
      <source>flagged (q ≤ {0} %)</source>
      <translation>判定 (q ≤ {0} %)</translation>
    </message>
  </context>
  <context>
    <name>DetailPane</name>
    <message>
      <source>Click a point to see the sample</source>
      <translation>点をクリックするとサンプルを表示します</translation>
    </message>
    <message>
      <source>How suspect is this pair, and why</source>
      <translation>このペアの要確認度とその理由</translation>
    </message>
    <message>
      <source>Nearest in image space</source>
      <translation>画像空間の近傍</translation>
    </message>
    <message>
      <source>Nearest in report space</source>
      <translation>報告書空間の近傍</translation>
    </message>
    <message>
      <source>Report</source>
      <translation>検査報告書</translation>
    </message>
    <message>
      <source>neighbour overlap {0:.2f}</source>
      <translation>近傍の重なり {0:.2f}</translation>
    </message>
    <message>
      <source>image not readable: {0}</source>
      <translation>画像を読み込めません: {0}</translation>
    </message>
    <message>
      <source>Neighbours appear once both spaces are embedded.</source>
      <translation>両方の空間を埋め込むと近傍が表示されます。</translation>
    </message>
    <message>
      <source>{0} of {1} neighbours are shared by both spaces (marked ★).</source>
      <translation>{1} 件中 {0} 件の近傍が両空間で共通です（★印）。</translation>
    </message>
    <message>
      <source>Suspect score {0} · q {1} · rank {2} of {3}</source>
      <translation>要確認スコア {0} · q {1} · {3} 件中 {2} 位</translation>
    </message>
    <message>
      <source>The self-test found no signal on this data: this pair is not called suspect.</source>
      <translation>このデータでは自己テストで判別力が確認できなかったため、このペアを要確認とは判定しません。</translation>
    </message>
    <message>
      <source>Flagged: likely a mismatch (q ≤ {0}).</source>
      <translation>判定: 食い違いの可能性が高いペアです (q ≤ {0})。</translation>
    </message>
  </context>
  <context>
    <name>DropZone</name>
    <message>
      <source>Drop a project (.h5), a dataset folder or a manifest (CSV, TSV, JSON Lines, Excel) here</source>
      <translation>プロジェクト (.h5)、データセットのフォルダー、またはマニフェスト（CSV・TSV・JSON Lines・Excel）をここにドロップ</translation>
    </message>
  </context>
  <context>
    <name>HoverCard</name>
    <message>
      <source>no image</source>
      <translation>画像なし</translation>
    </message>
    <message>
      <source>  neighbour overlap {0:.2f}</source>
      <translation>  近傍の重なり {0:.2f}</translation>
    </message>
  </context>
  <context>
    <name>ImportDialog</name>
    <message>
      <source>New project from a dataset</source>
      <translation>データセットから新規プロジェクト</translation>
    </message>
    <message>
      <source>Dataset folder or manifest (CSV, TSV, JSON Lines, Excel)</source>
      <translation>データセットのフォルダーまたはマニフェスト（CSV・TSV・JSON Lines・Excel）</translation>
    </message>
    <message>
      <source>Folder…</source>
      <translation>フォルダー…</translation>
    </message>
    <message>
      <source>Manifest…</source>
      <translation>マニフェスト…</translation>
    </message>
    <message>
      <source>Encoding</source>
      <translation>文字コード</translation>
    </message>
    <message>
      <source>detect</source>
      <translation>自動判定</translation>
    </message>
    <message>
      <source>How the manifest and the report files are read. “detect” tells UTF-8, UTF-16/32, CP932 and Windows-1252 apart.</source>
      <translation>マニフェストと報告書ファイルの読み方。「自動判定」は UTF-8、UTF-16/32、CP932、Windows-1252 を見分けます。</translation>
    </message>
    <message>
      <source>Also read files outside the dataset folder (paths and links that lead elsewhere)</source>
      <translation>データセットのフォルダー外のファイルも読み込む（ほかの場所を指すパスやリンク）</translation>
    </message>
    <message>
      <source>Off: a row naming a file outside the dataset folder, or a link to one, is quarantined.</source>
      <translation>オフ: データセットのフォルダー外のファイル（またはそれへのリンク）を指す行は隔離されます。</translation>
    </message>
    <message>
      <source>Columns</source>
      <translation>列の対応</translation>
    </message>
    <message>
      <source>First rows</source>
      <translation>先頭の行</translation>
    </message>
    <message>
      <source>Check the dataset</source>
      <translation>データセットを検証</translation>
    </message>
    <message>
      <source>Encoders</source>
      <translation>エンコーダー</translation>
    </message>
    <message>
      <source>Project file</source>
      <translation>プロジェクトファイル</translation>
    </message>
    <message>
      <source>Create and embed</source>
      <translation>作成して埋め込み</translation>
    </message>
    <message>
      <source>Image encoders</source>
      <translation>画像エンコーダー</translation>
    </message>
    <message>
      <source>Text encoders</source>
      <translation>テキストエンコーダー</translation>
    </message>
    <message>
      <source> (yours)</source>
      <translation>（ユーザー登録）</translation>
    </message>
    <message>
      <source> — not exported</source>
      <translation> — 未エクスポート</translation>
    </message>
    <message>
      <source>Japanese</source>
      <translation>日本語</translation>
    </message>
    <message>
      <source>a non-Latin script</source>
      <translation>ラテン文字以外の文字</translation>
    </message>
    <message>
      <source>Warning: {0:.0%} of the reports are written in {1}, but {2} read(s) English only: their text embeddings would be near-meaningless.</source>
      <translation>警告：報告書の {0:.0%} が{1}で書かれていますが、{2} は英語のみに対応しています。テキスト埋め込みはほぼ意味を持ちません。</translation>
    </message>
    <message>
      <source>Use the multilingual encoder {0}.</source>
      <translation>多言語エンコーダー {0} を使ってください。</translation>
    </message>
    <message>
      <source>Use {0}</source>
      <translation>{0} を使う</translation>
    </message>
    <message>
      <source>Reports: kana+kanji {0:.0%}, Latin {1:.0%}, other {2:.0%} of the letters.</source>
      <translation>報告書の文字：かな・漢字 {0:.0%}、ラテン文字 {1:.0%}、その他 {2:.0%}。</translation>
    </message>
    <message>
      <source>Dataset folder</source>
      <translation>データセットのフォルダー</translation>
    </message>
    <message>
      <source>Manifest</source>
      <translation>マニフェスト</translation>
    </message>
    <message>
      <source>Manifests (*.csv *.tsv *.txt *.jsonl *.ndjson *.xlsx)</source>
      <translation>マニフェスト (*.csv *.tsv *.txt *.jsonl *.ndjson *.xlsx)</translation>
    </message>
    <message>
      <source>No manifest: images with sidecar .txt reports, labels from sub-folders.</source>
      <translation>マニフェストなし: 同名の .txt 報告書を持つ画像として読み込み、ラベルはサブフォルダー名から取ります。</translation>
    </message>
    <message>
      <source>Not found: {0}</source>
      <translation>見つかりません: {0}</translation>
    </message>
    <message>
      <source>as chosen</source>
      <translation>指定どおり</translation>
    </message>
    <message>
      <source>detected</source>
      <translation>自動判定</translation>
    </message>
    <message>
      <source>{0}: {1} rows, encoding {2} ({3})</source>
      <translation>{0}: {1} 行、文字コード {2}（{3}）</translation>
    </message>
    <message>
      <source>(none)</source>
      <translation>（なし）</translation>
    </message>
    <message>
      <source>Sample id</source>
      <translation>サンプル ID</translation>
    </message>
    <message>
      <source>Image path</source>
      <translation>画像パス</translation>
    </message>
    <message>
      <source>Report text</source>
      <translation>報告書テキスト</translation>
    </message>
    <message>
      <source>Report file (.txt)</source>
      <translation>報告書ファイル (.txt)</translation>
    </message>
    <message>
      <source>Press “Check the dataset” to validate every row before embedding.</source>
      <translation>埋め込みの前に「データセットを検証」で全行を確認してください。</translation>
    </message>
    <message>
      <source>Checking every row…</source>
      <translation>全行を確認しています…</translation>
    </message>
    <message>
      <source>Checking</source>
      <translation>検証中</translation>
    </message>
    <message>
      <source>{0} good rows, {1} quarantined (encoding {2}). Quarantined rows are listed below and will not be embedded.</source>
      <translation>正常 {0} 行、隔離 {1} 行（文字コード {2}）。隔離された行は下に一覧表示され、埋め込まれません。</translation>
    </message>
    <message>
      <source>File</source>
      <translation>ファイル</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>理由</translation>
    </message>
    <message>
      <source>Row</source>
      <translation>行</translation>
    </message>
    <message>
      <source>Embedding</source>
      <translation>埋め込み</translation>
    </message>
  </context>
  <context>
    <name>ImportGuesses</name>
    <message>
      <source>recognised by its name</source>
      <translation>列名から判定</translation>
    </message>
    <message>
      <source>an id-like name with a different value on every row</source>
      <translation>ID らしい列名で、全行の値が異なる</translation>
    </message>
    <message>
      <source>chosen here</source>
      <translation>ここで指定</translation>
    </message>
    <message>
      <source>empty</source>
      <translation>空</translation>
    </message>
    <message>
      <source>names a person</source>
      <translation>人名</translation>
    </message>
    <message>
      <source>dates or times</source>
      <translation>日付・時刻</translation>
    </message>
    <message>
      <source>identifiers</source>
      <translation>識別番号</translation>
    </message>
    <message>
      <source>a single value</source>
      <translation>値が 1 種類のみ</translation>
    </message>
    <message>
      <source>measurements (non-integer numbers)</source>
      <translation>測定値（整数でない数値）</translation>
    </message>
    <message>
      <source>measurements (named like one)</source>
      <translation>測定値（列名から判定）</translation>
    </message>
    <message>
      <source>numbers with more than {0} values</source>
      <translation>{0} 種類を超える数値</translation>
    </message>
    <message>
      <source>free text</source>
      <translation>自由記述</translation>
    </message>
    <message>
      <source>more than {0} values</source>
      <translation>{0} 種類を超える値</translation>
    </message>
    <message>
      <source>nearly every row has its own value</source>
      <translation>ほぼ全行で値が異なる</translation>
    </message>
    <message>
      <source>No id column: the ids will be the image paths without extension (e.g. {0}). Choose the id column above if the sheet has one.</source>
      <translation>ID 列がありません: ID は拡張子を除いた画像パスになります（例: {0}）。表に ID 列があれば上で選んでください。</translation>
    </message>
    <message>
      <source>No manifest: every image with the .txt report of the same name beside it; the labels are the sub-folder names.</source>
      <translation>マニフェストなし: 各画像と、その隣にある同名の .txt 報告書を組にします。ラベルはサブフォルダー名です。</translation>
    </message>
    <message>
      <source>The ids are the image file names without extension (their paths inside the folder when names repeat).</source>
      <translation>ID は拡張子を除いた画像ファイル名です（同じ名前がある場合はフォルダー内のパス）。</translation>
    </message>
    <message>
      <source>The ids are the image file names without extension (e.g. {0}).</source>
      <translation>ID は拡張子を除いた画像ファイル名です（例: {0}）。</translation>
    </message>
    <message>
      <source>Some file names repeat in different sub-folders, so the ids are the image paths inside the folder without extension (e.g. {0}).</source>
      <translation>別のサブフォルダーに同じファイル名があるため、ID は拡張子を除いたフォルダー内の画像パスです（例: {0}）。</translation>
    </message>
    <message>
      <source>To choose the ids, put a manifest.csv with an id column in the folder.</source>
      <translation>ID を指定するには、ID 列のある manifest.csv をフォルダーに置いてください。</translation>
    </message>
    <message>
      <source>Label: none found (the study then measures alignment only).</source>
      <translation>ラベル: 見つかりません（分析は整合度のみを測ります）。</translation>
    </message>
    <message>
      <source>Label for the study: {0} ({1}).</source>
      <translation>分析に使うラベル: {0}（{1}）。</translation>
    </message>
    <message>
      <source>Not offered as labels: {0}.</source>
      <translation>ラベル候補から外した列: {0}。</translation>
    </message>
    <message>
      <source>Change the label after the import in the Label box of the Overview.</source>
      <translation>ラベルは取り込み後に概要画面の「ラベル」欄で変更できます。</translation>
    </message>
  </context>
  <context>
    <name>InteractionsView</name>
    <message>
      <source>Run the study to see interactions and retrieval.</source>
      <translation>分析を実行すると、相互作用と検索の結果が表示されます。</translation>
    </message>
    <message>
      <source>Label used: {0}</source>
      <translation>使用したラベル: {0}</translation>
    </message>
    <message>
      <source>Transfer loss measured {0:.2f} bits per sample: below 0 only by chance (a loss cannot be negative in expectation), drawn as 0.</source>
      <translation>転移損失の測定値は 1 サンプルあたり {0:.2f} ビットです。0 を下回ったのは偶然によるもので（損失の期待値は負になりません）、図では 0 として描いています。</translation>
    </message>
  </context>
  <context>
    <name>Job</name>
    <message>
      <source>Unexpected error: {0}</source>
      <translation>予期しないエラー: {0}</translation>
    </message>
  </context>
  <context>
    <name>JobPanel</name>
    <message>
      <source>Cancel</source>
      <translation>キャンセル</translation>
    </message>
    <message>
      <source>{0:.1f}/s</source>
      <translation>{0:.1f} 件/秒</translation>
    </message>
    <message>
      <source>ETA {0}</source>
      <translation>残り {0}</translation>
    </message>
    <message>
      <source>{0}: cancelling…</source>
      <translation>{0}: キャンセルしています…</translation>
    </message>
  </context>
  <context>
    <name>LadderView</name>
    <message>
      <source>Run the study to compare every image × text encoder pair.</source>
      <translation>分析を実行すると、画像×テキストの全エンコーダー組を比較できます。</translation>
    </message>
    <message>
      <source>Performance (y-axis): the mean of the image and the report probe's accuracy on {0}; always answering the commonest class scores {1:.3f}.</source>
      <translation>性能（縦軸）: {0} に対する画像プローブと報告書プローブの正解率の平均。常に最頻クラスを答えた場合は {1:.3f} です。</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>Could not save</source>
      <translation>保存できませんでした</translation>
    </message>
    <message>
      <source>Overview</source>
      <translation>概要</translation>
    </message>
    <message>
      <source>Spaces</source>
      <translation>表現空間</translation>
    </message>
    <message>
      <source>Suspect pairs</source>
      <translation>要確認ペア</translation>
    </message>
    <message>
      <source>Ladder</source>
      <translation>モデル比較</translation>
    </message>
    <message>
      <source>Interactions</source>
      <translation>相互作用</translation>
    </message>
    <message>
      <source>Data quality</source>
      <translation>データ品質</translation>
    </message>
    <message>
      <source>&amp;File</source>
      <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Open project…</source>
      <translation>プロジェクトを開く(&amp;O)…</translation>
    </message>
    <message>
      <source>&amp;New project from dataset…</source>
      <translation>データセットから新規作成(&amp;N)…</translation>
    </message>
    <message>
      <source>Open the &amp;demo</source>
      <translation>デモを開く(&amp;D)</translation>
    </message>
    <message>
      <source>&amp;Recent projects</source>
      <translation>最近のプロジェクト(&amp;R)</translation>
    </message>
    <message>
      <source>Export &amp;selection as CSV…</source>
      <translation>選択を CSV に書き出す(&amp;S)…</translation>
    </message>
    <message>
      <source>&amp;Close project</source>
      <translation>プロジェクトを閉じる(&amp;C)</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>終了(&amp;Q)</translation>
    </message>
    <message>
      <source>&amp;View</source>
      <translation>表示(&amp;V)</translation>
    </message>
    <message>
      <source>&amp;Theme</source>
      <translation>テーマ(&amp;T)</translation>
    </message>
    <message>
      <source>Light</source>
      <translation>ライト</translation>
    </message>
    <message>
      <source>Dark</source>
      <translation>ダーク</translation>
    </message>
    <message>
      <source>&amp;Language</source>
      <translation>言語(&amp;L)</translation>
    </message>
    <message>
      <source>System</source>
      <translation>システム設定</translation>
    </message>
    <message>
      <source>&amp;Analysis</source>
      <translation>分析(&amp;A)</translation>
    </message>
    <message>
      <source>&amp;Run study</source>
      <translation>分析を実行(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Cancel running job</source>
      <translation>実行中の処理をキャンセル(&amp;C)</translation>
    </message>
    <message>
      <source>&amp;Help</source>
      <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
      <source>Open &amp;log folder</source>
      <translation>ログフォルダーを開く(&amp;L)</translation>
    </message>
    <message>
      <source>&amp;About AlignScope</source>
      <translation>AlignScope について(&amp;A)</translation>
    </message>
    <message>
      <source>Log folder: {0}</source>
      <translation>ログフォルダー: {0}</translation>
    </message>
    <message>
      <source>Open project</source>
      <translation>プロジェクトを開く</translation>
    </message>
    <message>
      <source>AlignScope project (*.h5)</source>
      <translation>AlignScope プロジェクト (*.h5)</translation>
    </message>
    <message>
      <source>Opening {0}</source>
      <translation>{0} を開いています</translation>
    </message>
    <message>
      <source>Could not open the project</source>
      <translation>プロジェクトを開けませんでした</translation>
    </message>
    <message>
      <source>{0} samples loaded</source>
      <translation>{0} サンプルを読み込みました</translation>
    </message>
    <message>
      <source>Study</source>
      <translation>分析</translation>
    </message>
    <message>
      <source>The study failed</source>
      <translation>分析に失敗しました</translation>
    </message>
    <message>
      <source>Study finished</source>
      <translation>分析が完了しました</translation>
    </message>
    <message>
      <source>Embedding stopped</source>
      <translation>埋め込みが停止しました</translation>
    </message>
    <message>
      <source>Embedding cancelled: finished rows are kept; run it again to resume.</source>
      <translation>埋め込みをキャンセルしました。完了した行は保存されています。再実行すると続きから再開します。</translation>
    </message>
    <message>
      <source>Building the demo</source>
      <translation>デモを作成しています</translation>
    </message>
    <message>
      <source>Could not build the demo</source>
      <translation>デモを作成できませんでした</translation>
    </message>
    <message>
      <source>The language changes the next time AlignScope starts.</source>
      <translation>言語は次回 AlignScope を起動したときに切り替わります。</translation>
    </message>
    <message>
      <source>About AlignScope</source>
      <translation>AlignScope について</translation>
    </message>
    <message>
      <source>AlignScope {0}
Image–report representation alignment for quality inspection, offline.
Following Tjandrasuwita et al., ICML 2025.</source>
      <translation>AlignScope {0}
品質検査のための画像と検査報告書の表現整合度分析（オフライン）。
Tjandrasuwita ら, ICML 2025 に基づきます。</translation>
    </message>
  </context>
  <context>
    <name>MetricCard</name>
    <message>
      <source>95% interval {0:.3f} – {1:.3f}</source>
      <translation>95% 区間 {0:.3f} – {1:.3f}</translation>
    </message>
    <message>
      <source>chance {0:.3f}</source>
      <translation>偶然の水準 {0:.3f}</translation>
    </message>
  </context>
  <context>
    <name>OverviewView</name>
    <message>
      <source>Label</source>
      <translation>ラベル</translation>
    </message>
    <message>
      <source>Run study</source>
      <translation>分析を実行</translation>
    </message>
    <message>
      <source>{0} samples · {1} quarantined · image {2} · report {3}</source>
      <translation>{0} サンプル · 隔離 {1} · 画像 {2} · 報告書 {3}</translation>
    </message>
    <message>
      <source>No study result in this project yet. Choose the label column and press “Run study” for interactions, probes, retrieval and a recommendation.</source>
      <translation>このプロジェクトにはまだ分析結果がありません。ラベル列を選び「分析を実行」を押すと、相互作用・プローブ・検索と推奨が得られます。</translation>
    </message>
    <message>
      <source>Chosen automatically: {0}</source>
      <translation>自動選択: {0}</translation>
    </message>
    <message>
      <source>Not offered as labels: {0}</source>
      <translation>ラベル候補から外した列: {0}</translation>
    </message>
    <message>
      <source>{0:.0%} of the reports are not in English, but {1} reads English only: its report embeddings (alignment, suspect pairs, interactions) mean little here.</source>
      <translation>報告書の {0:.0%} が英語以外ですが、{1} は英語のみに対応しています。その報告書の埋め込み（整合度、要確認ペア、相互作用）はここではほとんど意味を持ちません。</translation>
    </message>
    <message>
      <source>The study uses {0}, which reads the reports' language.</source>
      <translation>分析には報告書の言語を読める {0} を使います。</translation>
    </message>
    <message>
      <source>Embed the reports with the multilingual encoder: --text-model {0}.</source>
      <translation>多言語エンコーダーで報告書を埋め込んでください: --text-model {0}。</translation>
    </message>
    <message>
      <source>Notes on these numbers:</source>
      <translation>これらの数値についての注記:</translation>
    </message>
  </context>
  <context>
    <name>PairText</name>
    <message>
      <source>No suspect list: on this data the method cannot tell planted wrong reports from normal pairs (self-test AUC {0:.2f}), so no pair is called suspect.</source>
      <translation>要確認ペアの一覧はありません: このデータでは、付け替えた報告書と正常なペアを区別できないため（自己テスト AUC {0:.2f}）、どのペアも要確認とは判定しません。</translation>
    </message>
    <message>
      <source>Self-test on your data: the method finds {0} of {1} planted wrong reports in its top {2} (AUC {3:.2f}).</source>
      <translation>このデータでの自己テスト: 別の部品に付け替えた {1} 件の報告書のうち {0} 件を上位 {2} 件に挙げました（AUC {3:.2f}）。</translation>
    </message>
    <message>
      <source>{0} pairs are likely mismatches (q ≤ {1}), highlighted; the rest are ranked for review.</source>
      <translation>{0} 組は食い違いの可能性が高いペアです (q ≤ {1}、色付きで表示)。残りは確認用に順位づけしています。</translation>
    </message>
    <message>
      <source>The self-test is too weak (AUC below {0:.2f}) to call any pair a mismatch: the pairs are ranked for review, none is flagged.</source>
      <translation>自己テストの判別力が弱いため（AUC が {0:.2f} 未満）、食い違いとは判定せず、確認用に順位づけするのみです。</translation>
    </message>
  </context>
  <context>
    <name>PairsView</name>
    <message>
      <source>Show the neighbour-overlap ranking instead</source>
      <translation>代わりに近傍の重なりの順位を表示</translation>
    </message>
    <message>
      <source>Pairs whose image and report share the fewest nearest neighbours first. This is not a list of suspects: on weakly aligned data most pairs share none.</source>
      <translation>画像と報告書の共通する近傍が少ないペアから順に表示します。要確認ペアの一覧ではありません。整合の弱いデータでは、ほとんどのペアで共通する近傍がありません。</translation>
    </message>
    <message>
      <source>Run the study</source>
      <translation>分析を実行</translation>
    </message>
    <message>
      <source>Compute the suspect scores, their self-test and q-values (Ctrl+R).</source>
      <translation>要確認スコア、その自己テストと q 値を計算します (Ctrl+R)。</translation>
    </message>
    <message>
      <source>Filter</source>
      <translation>絞り込み</translation>
    </message>
    <message>
      <source>Hide reviewed</source>
      <translation>確認済みを隠す</translation>
    </message>
    <message>
      <source>Only the selection</source>
      <translation>選択のみ</translation>
    </message>
    <message>
      <source>Mark reviewed</source>
      <translation>確認済みにする</translation>
    </message>
    <message>
      <source>Export CSV…</source>
      <translation>CSV に書き出す…</translation>
    </message>
    <message>
      <source>(no filter)</source>
      <translation>（絞り込みなし）</translation>
    </message>
    <message>
      <source>Shown instead: every pair by neighbour overlap, lowest first — not a list of suspects.</source>
      <translation>代わりに全ペアを近傍の重なりが小さい順に表示しています（要確認ペアの一覧ではありません）。</translation>
    </message>
    <message>
      <source>No study yet: the pairs are ranked by neighbour overlap (the share of nearest neighbours the image and the report have in common), lowest first. Run the study for suspect scores with a self-test and a false-discovery threshold.</source>
      <translation>まだ分析していません: ペアは近傍の重なり（画像と報告書で共通する最近傍の割合）が小さい順に並んでいます。自己テストと誤検出率のしきい値つきの要確認スコアを得るには、分析を実行してください。</translation>
    </message>
    <message>
      <source>The study has no per-pair suspect scores for these samples (too few pairs, or another set of samples): the pairs are ranked by neighbour overlap, lowest first.</source>
      <translation>分析結果にこれらのサンプルのペアごとの要確認スコアがありません（ペアが少なすぎるか、別のサンプル集合です）。ペアは近傍の重なりが小さい順に並んでいます。</translation>
    </message>
    <message>
      <source>(empty)</source>
      <translation>（空）</translation>
    </message>
    <message>
      <source>No pairs listed · {0} pairs · {1} reviewed</source>
      <translation>一覧なし · {0} ペア · 確認済み {1}</translation>
    </message>
    <message>
      <source>{0} of {1} pairs shown · {2} reviewed</source>
      <translation>{1} ペア中 {0} ペアを表示 · 確認済み {2}</translation>
    </message>
    <message>
      <source>Export suspect pairs</source>
      <translation>要確認ペアを書き出す</translation>
    </message>
    <message>
      <source>CSV (*.csv)</source>
      <translation>CSV (*.csv)</translation>
    </message>
    <message>
      <source>Exported {0} pairs to {1}</source>
      <translation>{0} ペアを {1} に書き出しました</translation>
    </message>
    <message>
      <source>{0} pairs marked as reviewed</source>
      <translation>{0} ペアを確認済みにしました</translation>
    </message>
    <message>
      <source>Saving reviewed marks</source>
      <translation>確認済みの印を保存しています</translation>
    </message>
  </context>
  <context>
    <name>QuarantineView</name>
    <message>
      <source>{0} samples used, {1} files quarantined. Source: folder {2}</source>
      <translation>使用 {0} サンプル、隔離 {1} ファイル。元データ: フォルダー {2}</translation>
    </message>
    <message>
      <source>{0} samples used, {1} rows quarantined. Source: {2} (encoding {3})</source>
      <translation>使用 {0} サンプル、隔離 {1} 行。元データ: {2}（文字コード {3}）</translation>
    </message>
    <message>
      <source>File</source>
      <translation>ファイル</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>理由</translation>
    </message>
    <message>
      <source>Row</source>
      <translation>行</translation>
    </message>
    <message>
      <source>Id</source>
      <translation>ID</translation>
    </message>
    <message>
      <source>Encoders in this project (device actually used when embedding):</source>
      <translation>このプロジェクトのエンコーダー（埋め込みに実際に使われたデバイス）:</translation>
    </message>
    <message>
      <source>complete</source>
      <translation>完了</translation>
    </message>
    <message>
      <source>incomplete: embed again to resume</source>
      <translation>未完了: 再度埋め込むと続きから再開します</translation>
    </message>
    <message>
      <source>  {0} ({1}, {2}-d) · {3} · sha256 {4}… · {5}</source>
      <translation>  {0}（{1}、{2} 次元）· {3} · sha256 {4}… · {5}</translation>
    </message>
  </context>
  <context>
    <name>SpacesView</name>
    <message>
      <source>Colour by </source>
      <translation>色分け </translation>
    </message>
    <message>
      <source>Projection </source>
      <translation>投影 </translation>
    </message>
    <message>
      <source>PCA: linear, exact, fast for any size.</source>
      <translation>PCA：線形・厳密で、どの規模でも高速です。</translation>
    </message>
    <message>
      <source>t-SNE: nonlinear map that keeps local neighbourhoods; computed once in the background and saved in the project (up to {0} samples).</source>
      <translation>t-SNE：局所的な近傍関係を保つ非線形の写像です。バックグラウンドで一度だけ計算し、プロジェクトに保存します（{0} サンプルまで）。</translation>
    </message>
    <message>
      <source>Lasso</source>
      <translation>投げ縄</translation>
    </message>
    <message>
      <source>Box</source>
      <translation>矩形</translation>
    </message>
    <message>
      <source>Pan / zoom</source>
      <translation>移動・拡大</translation>
    </message>
    <message>
      <source>{0} ({1}); Shift adds, Ctrl removes</source>
      <translation>{0} ({1})。Shift で追加、Ctrl で除外</translation>
    </message>
    <message>
      <source>Clear selection</source>
      <translation>選択を解除</translation>
    </message>
    <message>
      <source>Export selection…</source>
      <translation>選択を書き出す…</translation>
    </message>
    <message>
      <source>Export plots…</source>
      <translation>図を書き出す…</translation>
    </message>
    <message>
      <source>Image space</source>
      <translation>画像空間</translation>
    </message>
    <message>
      <source>Report space</source>
      <translation>報告書空間</translation>
    </message>
    <message>
      <source>No embeddings yet: embed both modalities to see the spaces.</source>
      <translation>埋め込みがまだありません。両方のモダリティを埋め込むと空間が表示されます。</translation>
    </message>
    <message>
      <source>Image space · {0}</source>
      <translation>画像空間 · {0}</translation>
    </message>
    <message>
      <source>Report space · {0}</source>
      <translation>報告書空間 · {0}</translation>
    </message>
    <message>
      <source>t-SNE needs a saved project with embeddings.</source>
      <translation>t-SNE には埋め込み済みの保存されたプロジェクトが必要です。</translation>
    </message>
    <message>
      <source>t-SNE is available up to {0} samples; this project has {1}. Use PCA.</source>
      <translation>t-SNE は {0} サンプルまで利用できます。このプロジェクトは {1} サンプルあるため、PCA を使ってください。</translation>
    </message>
    <message>
      <source>t-SNE needs at least {0} samples.</source>
      <translation>t-SNE には {0} サンプル以上が必要です。</translation>
    </message>
    <message>
      <source>{0} projection</source>
      <translation>{0} 投影</translation>
    </message>
    <message>
      <source>Computing {0}… the current projection stays visible until it is ready.</source>
      <translation>{0} を計算中… 完了するまで現在の投影を表示します。</translation>
    </message>
    <message>
      <source>{0} projection failed: {1}</source>
      <translation>{0} 投影に失敗しました: {1}</translation>
    </message>
    <message>
      <source>Suspect ranking</source>
      <translation>要確認の順位</translation>
    </message>
    <message>
      <source>Neighbour overlap</source>
      <translation>近傍の重なり</translation>
    </message>
    <message>
      <source>all samples</source>
      <translation>全サンプル</translation>
    </message>
    <message>
      <source>{0} samples · {1} selected</source>
      <translation>{0} サンプル · {1} 件選択</translation>
    </message>
    <message>
      <source> · mean neighbour overlap of the selection {0:.2f} (all: {1:.2f})</source>
      <translation> · 選択範囲の近傍の重なりの平均 {0:.2f}（全体: {1:.2f}）</translation>
    </message>
    <message>
      <source>Export selection</source>
      <translation>選択を書き出す</translation>
    </message>
    <message>
      <source>CSV (*.csv)</source>
      <translation>CSV (*.csv)</translation>
    </message>
    <message>
      <source>Exported {0} samples to {1}</source>
      <translation>{0} サンプルを {1} に書き出しました</translation>
    </message>
    <message>
      <source>Exported {0} and {1}</source>
      <translation>{0} と {1} を書き出しました</translation>
    </message>
  </context>
  <context>
    <name>StartPage</name>
    <message>
      <source>How well do your inspection images and inspection reports agree? Open a project, or create one from a folder of images and reports.</source>
      <translation>検査画像と検査報告書はどれだけ一致していますか？ プロジェクトを開くか、画像と報告書のフォルダーから作成してください。</translation>
    </message>
    <message>
      <source>Open project…</source>
      <translation>プロジェクトを開く…</translation>
    </message>
    <message>
      <source>New project from dataset…</source>
      <translation>データセットから新規作成…</translation>
    </message>
    <message>
      <source>Open the demo</source>
      <translation>デモを開く</translation>
    </message>
    <message>
      <source>Recent projects</source>
      <translation>最近のプロジェクト</translation>
    </message>
    <message>
      <source>(none yet)</source>
      <translation>（まだありません）</translation>
    </message>
  </context>
  <context>
    <name>SuspectTableModel</name>
    <message>
      <source>Rank</source>
      <translation>順位</translation>
    </message>
    <message>
      <source>Image</source>
      <translation>画像</translation>
    </message>
    <message>
      <source>Id</source>
      <translation>ID</translation>
    </message>
    <message>
      <source>Suspect score</source>
      <translation>要確認スコア</translation>
    </message>
    <message>
      <source>q</source>
      <translation>q</translation>
    </message>
    <message>
      <source>Neighbour overlap</source>
      <translation>近傍の重なり</translation>
    </message>
    <message>
      <source>Report</source>
      <translation>検査報告書</translation>
    </message>
    <message>
      <source>Reviewed</source>
      <translation>確認済み</translation>
    </message>
    <message>
      <source>Share of random re-pairings that fit at least as well as this pair, judged by an alignment learned on the other pairs only: 1 = fits no better than chance.</source>
      <translation>ほかのペアだけで学習した対応づけで見て、無作為に組み替えたペアのうちこのペア以上によく合うものの割合。1 は無作為な組み合わせと同程度にしか合わないことを意味します。</translation>
    </message>
    <message>
      <source>Expected share of false alarms if this pair and all above it are called mismatches.</source>
      <translation>このペアとそれより上のペアをすべて食い違いと判定したときに見込まれる誤検出の割合。</translation>
    </message>
    <message>
      <source>Share of its nearest neighbours that the image and the report have in common.</source>
      <translation>画像と報告書で共通する最近傍の割合。</translation>
    </message>
    <message>
      <source>Place in the suspect list, most suspect first.</source>
      <translation>要確認ペア一覧での順位（最も疑わしいものが 1 位）。</translation>
    </message>
    <message>
      <source>no image</source>
      <translation>画像なし</translation>
    </message>
    <message>
      <source>Flagged: q ≤ {0} %</source>
      <translation>判定: q ≤ {0} %</translation>
    </message>
  </context>
  <context>
    <name>_FigureGrid</name>
    <message>
      <source>Export PNG/SVG…</source>
      <translation>PNG/SVG に書き出す…</translation>
    </message>
  </context>
  <context>
    <name>parent</name>
    <message>
      <source>Export plot</source>
      <translation>図を書き出す</translation>
    </message>
    <message>
      <source>PNG image (*.png);;SVG vector image (*.svg)</source>
      <translation>PNG 画像 (*.png);;SVG ベクター画像 (*.svg)</translation>
    </message>
  </context>
  <context>
    <name>Figures</name>
    <message>
      <source>Alignment vs k ({0})</source>
      <translation>k と整合度（{0}）</translation>
    </message>
    <message>
      <source>no alignment curve yet: run the study</source>
      <translation>整合度曲線はまだありません: 分析を実行してください</translation>
    </message>
    <message>
      <source>image ↔ report</source>
      <translation>画像 ↔ 報告書</translation>
    </message>
    <message>
      <source>chance k/(n−1)</source>
      <translation>偶然の水準 k/(n−1)</translation>
    </message>
    <message>
      <source>Alignment per encoder pair ({0})</source>
      <translation>エンコーダー組ごとの整合度（{0}）</translation>
    </message>
    <message>
      <source>report encoder</source>
      <translation>報告書エンコーダー</translation>
    </message>
    <message>
      <source>image encoder</source>
      <translation>画像エンコーダー</translation>
    </message>
    <message>
      <source>no encoder pairs yet: embed and run the study</source>
      <translation>エンコーダー組はまだありません: 埋め込み後に分析を実行してください</translation>
    </message>
    <message>
      <source>Alignment vs performance</source>
      <translation>整合度と性能</translation>
    </message>
    <message>
      <source>Spearman ρ = {0:.2f}</source>
      <translation>スピアマン ρ = {0:.2f}</translation>
    </message>
    <message>
      <source>mean probe accuracy (image and report)</source>
      <translation>プローブ正解率の平均（画像と報告書）</translation>
    </message>
    <message>
      <source>needs a label column and at least one encoder pair</source>
      <translation>ラベル列と 1 組以上のエンコーダー組が必要です</translation>
    </message>
    <message>
      <source>Interactions about the label (bits)</source>
      <translation>ラベルに関する相互作用（ビット）</translation>
    </message>
    <message>
      <source>bits</source>
      <translation>ビット</translation>
    </message>
    <message>
      <source>needs a label column: run the study with --label</source>
      <translation>ラベル列が必要です: --label を指定して分析してください</translation>
    </message>
    <message>
      <source>Redundancy R</source>
      <translation>冗長 R</translation>
    </message>
    <message>
      <source>Unique image U₁</source>
      <translation>画像固有 U₁</translation>
    </message>
    <message>
      <source>Unique report U₂</source>
      <translation>報告書固有 U₂</translation>
    </message>
    <message>
      <source>Synergy S</source>
      <translation>相乗 S</translation>
    </message>
    <message>
      <source>Heterogeneity scores</source>
      <translation>異質性スコア</translation>
    </message>
    <message>
      <source>no heterogeneity scores yet</source>
      <translation>異質性スコアはまだありません</translation>
    </message>
    <message>
      <source>nonlinear gap</source>
      <translation>非線形ギャップ</translation>
    </message>
    <message>
      <source>linear deficit</source>
      <translation>線形不足度</translation>
    </message>
    <message>
      <source>transfer loss (bits)</source>
      <translation>転移損失（ビット）</translation>
    </message>
    <message>
      <source>image → report</source>
      <translation>画像 → 報告書</translation>
    </message>
    <message>
      <source>report → image</source>
      <translation>報告書 → 画像</translation>
    </message>
    <message>
      <source>Retrieval on held-out pairs ({0})</source>
      <translation>検証用ペアでの検索（{0}）</translation>
    </message>
    <message>
      <source>recall@k</source>
      <translation>上位 k 件での再現率 (recall@k)</translation>
    </message>
    <message>
      <source>recall</source>
      <translation>再現率</translation>
    </message>
    <message>
      <source>no retrieval trial yet: run the study</source>
      <translation>検索試験はまだありません: 分析を実行してください</translation>
    </message>
    <message>
      <source>chance</source>
      <translation>偶然の水準</translation>
    </message>
    <message>
      <source>Alignment metrics</source>
      <translation>整合度指標</translation>
    </message>
    <message>
      <source>no metrics yet</source>
      <translation>指標はまだありません</translation>
    </message>
    <message>
      <source>Alignment per layer pair ({0})</source>
      <translation>層の組ごとの整合度（{0}）</translation>
    </message>
    <message>
      <source>report encoder layer</source>
      <translation>報告書エンコーダーの層</translation>
    </message>
    <message>
      <source>image encoder layer</source>
      <translation>画像エンコーダーの層</translation>
    </message>
    <message>
      <source>no layers: embed with --layers and run the study</source>
      <translation>層がありません: --layers 付きで埋め込み、分析を実行してください</translation>
    </message>
    <message>
      <source>max {0:.3f}</source>
      <translation>最大 {0:.3f}</translation>
    </message>
    <message>
      <source>Alignment vs layer depth</source>
      <translation>層の深さと整合度</translation>
    </message>
    <message>
      <source>relative depth (0 = first layer, 1 = embedding)</source>
      <translation>相対的な深さ（0 = 最初の層、1 = 埋め込み）</translation>
    </message>
    <message>
      <source>image layers</source>
      <translation>画像の層</translation>
    </message>
    <message>
      <source>report layers</source>
      <translation>報告書の層</translation>
    </message>
  </context>
  <context>
    <name>Meaning</name>
    <message>
      <source>Share of each sample's 10 nearest neighbours that are the same in both spaces.</source>
      <translation>各サンプルの最近傍 10 件のうち、両空間で共通するものの割合。</translation>
    </message>
    <message>
      <source>Share of samples that come back to themselves through a neighbour in the other space.</source>
      <translation>もう一方の空間の近傍を経由して自分自身に戻ってくるサンプルの割合。</translation>
    </message>
    <message>
      <source>Length of the common ordered part of the two neighbour lists.</source>
      <translation>2 つの近傍リストで順序ごと共通する部分の長さ。</translation>
    </message>
    <message>
      <source>Similarity of the two spaces' overall geometry (biased estimate).</source>
      <translation>2 つの空間の全体的な幾何の類似度（偏りのある推定）。</translation>
    </message>
    <message>
      <source>Similarity of local geometry with a Gaussian kernel.</source>
      <translation>ガウスカーネルによる局所的な幾何の類似度。</translation>
    </message>
    <message>
      <source>Similarity of overall geometry, corrected for sample size (0 = unrelated).</source>
      <translation>サンプル数の影響を補正した全体的な幾何の類似度（0 = 無関係）。</translation>
    </message>
    <message>
      <source>Similarity of local geometry, corrected for sample size.</source>
      <translation>サンプル数の影響を補正した局所的な幾何の類似度。</translation>
    </message>
    <message>
      <source>Geometry similarity restricted to mutual nearest neighbours.</source>
      <translation>相互最近傍に限った幾何の類似度。</translation>
    </message>
    <message>
      <source>Correlation of the top shared directions of the two spaces.</source>
      <translation>2 つの空間に共通する主要な方向の相関。</translation>
    </message>
  </context>
</TS>