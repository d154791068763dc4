<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ja_JP" sourcelanguage="en">
  <context>
    <name>Colors</name>
    <message>
      <location filename="../../work/main/ui/views/colors.py" line="48" />
      <location filename="../../work/main/ui/views/colors.py" line="53" />
      <source>(empty)</source>
      <translation>（空）</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/colors.py" line="49" />
      <source>other</source>
      <translation>その他</translation>
    </message>
  </context>
  <context>
    <name>DetailPane</name>
    <message>
      <location filename="../../work/main/ui/views/detail.py" line="40" />
      <location filename="../../work/main/ui/views/detail.py" line="93" />
      <source>Click a point to see the sample</source>
      <translation>点をクリックするとサンプルを表示します</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/detail.py" line="57" />
      <source>Nearest in image space</source>
      <translation>画像空間の近傍</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/detail.py" line="58" />
      <source>Nearest in report space</source>
      <translation>報告空間の近傍</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/detail.py" line="66" />
      <source>Report</source>
      <translation>検査報告</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/detail.py" line="102" />
      <source>alignment (shared neighbours) {0:.2f}</source>
      <translation>整合度（共有近傍）{0:.2f}</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/detail.py" line="107" />
      <source>image not readable: {0}</source>
      <translation>画像を読み込めません: {0}</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/detail.py" line="112" />
      <source>Neighbours appear once both spaces are embedded.</source>
      <translation>両方の空間を埋め込むと近傍が表示されます。</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/detail.py" line="118" />
      <source>{0} of {1} neighbours are shared by both spaces (marked ★).</source>
      <translation>{1} 件中 {0} 件の近傍が両空間で共通です（★印）。</translation>
    </message>
  </context>
  <context>
    <name>DropZone</name>
    <message>
      <location filename="../../work/main/ui/start_page.py" line="43" />
      <source>Drop a project (.h5), a dataset folder or a manifest (CSV, TSV, JSON Lines, Excel) here</source>
      <translation>プロジェクト (.h5)、データセットのフォルダー、またはマニフェスト（CSV・TSV・JSON Lines・Excel）をここにドロップ</translation>
    </message>
  </context>
  <context>
    <name>HoverCard</name>
    <message>
      <location filename="../../work/main/ui/views/hover.py" line="44" />
      <source>no image</source>
      <translation>画像なし</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/hover.py" line="49" />
      <source>  alignment {0:.2f}</source>
      <translation>  整合度 {0:.2f}</translation>
    </message>
  </context>
  <context>
    <name>ImportDialog</name>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="55" />
      <source>New project from a dataset</source>
      <translation>データセットから新規プロジェクト</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="63" />
      <source>Dataset folder or manifest (CSV, TSV, JSON Lines, Excel)</source>
      <translation>データセットのフォルダーまたはマニフェスト（CSV・TSV・JSON Lines・Excel）</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="64" />
      <source>Folder…</source>
      <translation>フォルダー…</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="66" />
      <source>Manifest…</source>
      <translation>マニフェスト…</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="74" />
      <source>Columns</source>
      <translation>列の対応</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="83" />
      <source>First rows</source>
      <translation>先頭の行</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="85" />
      <source>Check the dataset</source>
      <translation>データセットを検証</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="99" />
      <source>Encoders</source>
      <translation>エンコーダー</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="123" />
      <source>Project file</source>
      <translation>プロジェクトファイル</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="128" />
      <source>Create and embed</source>
      <translation>作成して埋め込み</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="143" />
      <source>Image encoders</source>
      <translation>画像エンコーダー</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="143" />
      <source>Text encoders</source>
      <translation>テキストエンコーダー</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="148" />
      <source> (yours)</source>
      <translation>（ユーザー登録）</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="149" />
      <source> — not exported</source>
      <translation> — 未エクスポート</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="173" />
      <source>Japanese</source>
      <translation>日本語</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="173" />
      <source>a non-Latin script</source>
      <translation>ラテン文字以外の文字</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="174" />
      <source>Warning: {0:.0%} of the reports are written in {1}, but {2} read(s) English only: their text embeddings would be near-meaningless.</source>
      <translation>警告：報告書の {0:.0%} が{1}で書かれていますが、{2} は英語のみに対応しています。テキスト埋め込みはほぼ意味を持ちません。</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="179" />
      <source>Use the multilingual encoder {0}.</source>
      <translation>多言語エンコーダー {0} を使ってください。</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="180" />
      <source>Use {0}</source>
      <translation>{0} を使う</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="187" />
      <source>Reports: kana+kanji {0:.0%}, Latin {1:.0%}, other {2:.0%} of the letters.</source>
      <translation>報告書の文字：かな・漢字 {0:.0%}、ラテン文字 {1:.0%}、その他 {2:.0%}。</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="222" />
      <source>Dataset folder</source>
      <translation>データセットのフォルダー</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="228" />
      <source>Manifest</source>
      <translation>マニフェスト</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="229" />
      <source>Manifests (*.csv *.tsv *.txt *.jsonl *.ndjson *.xlsx)</source>
      <translation>マニフェスト (*.csv *.tsv *.txt *.jsonl *.ndjson *.xlsx)</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="259" />
      <source>No manifest: images with sidecar .txt reports, labels from sub-folders.</source>
      <translation>マニフェストなし: 同名の .txt 報告を持つ画像として読み込み、ラベルはサブフォルダー名から取ります。</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="260" />
      <source>Not found: {0}</source>
      <translation>見つかりません: {0}</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="269" />
      <source>{0}: {1} rows, encoding {2}</source>
      <translation>{0}: {1} 行、文字コード {2}</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="277" />
      <source>(none)</source>
      <translation>（なし）</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="291" />
      <source>Sample id</source>
      <translation>サンプル ID</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="291" />
      <source>Image path</source>
      <translation>画像パス</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="291" />
      <source>Report text</source>
      <translation>報告テキスト</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="292" />
      <source>Report file (.txt)</source>
      <translation>報告ファイル (.txt)</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="307" />
      <source>Press “Check the dataset” to validate every row before embedding.</source>
      <translation>埋め込みの前に「データセットを検証」で全行を確認してください。</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="315" />
      <source>Checking every row…</source>
      <translation>全行を確認しています…</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="316" />
      <source>Checking</source>
      <translation>検証中</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="335" />
      <source>{0} good rows, {1} quarantined (encoding {2}). Quarantined rows are listed below and will not be embedded.</source>
      <translation>正常 {0} 行、隔離 {1} 行（文字コード {2}）。隔離された行は下に一覧表示され、埋め込まれません。</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="339" />
      <source>Row</source>
      <translation>行</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="339" />
      <source>File</source>
      <translation>ファイル</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="339" />
      <source>Reason</source>
      <translation>理由</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/dialogs/import_dialog.py" line="351" />
      <source>Embedding</source>
      <translation>埋め込み</translation>
    </message>
  </context>
  <context>
    <name>InteractionsView</name>
    <message>
      <location filename="../../work/main/ui/views/study_views.py" line="244" />
      <source>Label used: {0}</source>
      <translation>使用したラベル: {0}</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/study_views.py" line="247" />
      <source>Run the study to see interactions and retrieval.</source>
      <translation>分析を実行すると、相互作用と検索の結果が表示されます。</translation>
    </message>
  </context>
  <context>
    <name>Job</name>
    <message>
      <location filename="../../work/main/ui/worker.py" line="106" />
      <source>Unexpected error: {0}</source>
      <translation>予期しないエラー: {0}</translation>
    </message>
  </context>
  <context>
    <name>JobPanel</name>
    <message>
      <location filename="../../work/main/ui/job_panel.py" line="28" />
      <source>Cancel</source>
      <translation>キャンセル</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/job_panel.py" line="54" />
      <source>{0:.1f}/s</source>
      <translation>{0:.1f} 件/秒</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/job_panel.py" line="56" />
      <source>ETA {0}</source>
      <translation>残り {0}</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/job_panel.py" line="63" />
      <source>{0}: cancelling…</source>
      <translation>{0}: キャンセルしています…</translation>
    </message>
  </context>
  <context>
    <name>LadderView</name>
    <message>
      <location filename="../../work/main/ui/views/study_views.py" line="228" />
      <source>Run the study to compare every image × text encoder pair.</source>
      <translation>分析を実行すると、画像×テキストの全エンコーダー組を比較できます。</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="167" />
      <source>Could not save</source>
      <translation>保存できませんでした</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="172" />
      <source>Overview</source>
      <translation>概要</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="172" />
      <source>Spaces</source>
      <translation>表現空間</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="173" />
      <source>Suspect pairs</source>
      <translation>要確認ペア</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="173" />
      <source>Ladder</source>
      <translation>モデル比較</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="174" />
      <source>Interactions</source>
      <translation>相互作用</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="174" />
      <source>Data quality</source>
      <translation>データ品質</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="184" />
      <source>&amp;File</source>
      <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="185" />
      <source>&amp;Open project…</source>
      <translation>プロジェクトを開く(&amp;O)…</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="186" />
      <source>&amp;New project from dataset…</source>
      <translation>データセットから新規作成(&amp;N)…</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="188" />
      <source>Open the &amp;demo</source>
      <translation>デモを開く(&amp;D)</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="189" />
      <source>&amp;Recent projects</source>
      <translation>最近のプロジェクト(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="191" />
      <source>Export &amp;selection as CSV…</source>
      <translation>選択を CSV に書き出す(&amp;S)…</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="193" />
      <source>&amp;Close project</source>
      <translation>プロジェクトを閉じる(&amp;C)</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="194" />
      <source>&amp;Quit</source>
      <translation>終了(&amp;Q)</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="195" />
      <source>&amp;View</source>
      <translation>表示(&amp;V)</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="200" />
      <source>&amp;Theme</source>
      <translation>テーマ(&amp;T)</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="202" />
      <source>Light</source>
      <translation>ライト</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="202" />
      <source>Dark</source>
      <translation>ダーク</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="208" />
      <source>&amp;Language</source>
      <translation>言語(&amp;L)</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="211" />
      <source>System</source>
      <translation>システム設定</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="217" />
      <source>&amp;Analysis</source>
      <translation>分析(&amp;A)</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="218" />
      <source>&amp;Run study</source>
      <translation>分析を実行(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="220" />
      <source>&amp;Cancel running job</source>
      <translation>実行中の処理をキャンセル(&amp;C)</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="221" />
      <source>&amp;Help</source>
      <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="222" />
      <source>&amp;About AlignScope</source>
      <translation>AlignScope について(&amp;A)</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="234" />
      <source>Open project</source>
      <translation>プロジェクトを開く</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="234" />
      <source>AlignScope project (*.h5)</source>
      <translation>AlignScope プロジェクト (*.h5)</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="240" />
      <source>Opening {0}</source>
      <translation>{0} を開いています</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="242" />
      <source>Could not open the project</source>
      <translation>プロジェクトを開けませんでした</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="268" />
      <source>{0} samples loaded</source>
      <translation>{0} サンプルを読み込みました</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="288" />
      <source>Study</source>
      <translation>分析</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="290" />
      <source>The study failed</source>
      <translation>分析に失敗しました</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="300" />
      <source>Study finished</source>
      <translation>分析が完了しました</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="311" />
      <source>Embedding stopped</source>
      <translation>埋め込みが停止しました</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="313" />
      <source>Embedding cancelled: finished rows are kept; run it again to resume.</source>
      <translation>埋め込みをキャンセルしました。完了した行は保存されています。再実行すると続きから再開します。</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="322" />
      <source>Building the demo</source>
      <translation>デモを作成しています</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="324" />
      <source>Could not build the demo</source>
      <translation>デモを作成できませんでした</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="359" />
      <source>The language changes the next time AlignScope starts.</source>
      <translation>言語は次回 AlignScope を起動したときに切り替わります。</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="386" />
      <source>About AlignScope</source>
      <translation>AlignScope について</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="387" />
      <source>AlignScope {0}
Image–report representation alignment for quality inspection, offline.
Following Tjandrasuwita et al., ICML 2025.</source>
      <translation>AlignScope {0}
品質検査のための画像と検査報告の表現整合度分析（オフライン）。
Tjandrasuwita ら, ICML 2025 に基づきます。</translation>
    </message>
  </context>
  <context>
    <name>MetricCard</name>
    <message>
      <location filename="../../work/main/ui/views/study_views.py" line="73" />
      <source>95% interval {0:.3f} – {1:.3f}</source>
      <translation>95% 区間 {0:.3f} – {1:.3f}</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/study_views.py" line="75" />
      <source>chance {0:.3f}</source>
      <translation>偶然の水準 {0:.3f}</translation>
    </message>
  </context>
  <context>
    <name>OverviewView</name>
    <message>
      <location filename="../../work/main/ui/views/study_views.py" line="97" />
      <source>Label</source>
      <translation>ラベル</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/study_views.py" line="100" />
      <source>Run study</source>
      <translation>分析を実行</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/study_views.py" line="134" />
      <source>{0} samples · {1} quarantined · image {2} · report {3}</source>
      <translation>{0} サンプル · 隔離 {1} · 画像 {2} · 報告 {3}</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/study_views.py" line="153" />
      <source>Recommendation: {0}</source>
      <translation>推奨: {0}</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/study_views.py" line="161" />
      <source>No study result in this project yet. Choose the label column and press “Run study” for interactions, probes, retrieval and a recommendation.</source>
      <translation>このプロジェクトにはまだ分析結果がありません。ラベル列を選び「分析を実行」を押すと、相互作用・プローブ・検索と推奨が得られます。</translation>
    </message>
  </context>
  <context>
    <name>PairsView</name>
    <message>
      <location filename="../../work/main/ui/views/pairs.py" line="167" />
      <source>Pairs whose image and report have the fewest nearest neighbours in common: the report may not describe this image. Lowest alignment first.</source>
      <translation>画像と報告の近傍がほとんど一致しないペアです。報告がこの画像を記述していない可能性があります。整合度の低い順に表示します。</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/pairs.py" line="173" />
      <source>Filter</source>
      <translation>絞り込み</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/pairs.py" line="179" />
      <source>Hide reviewed</source>
      <translation>確認済みを隠す</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/pairs.py" line="181" />
      <source>Only the selection</source>
      <translation>選択のみ</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/pairs.py" line="183" />
      <source>Mark reviewed</source>
      <translation>確認済みにする</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/pairs.py" line="186" />
      <source>Export CSV…</source>
      <translation>CSV に書き出す…</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/pairs.py" line="211" />
      <source>(no filter)</source>
      <translation>（絞り込みなし）</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/pairs.py" line="220" />
      <source>No per-sample alignment yet: embed both modalities first.</source>
      <translation>サンプルごとの整合度はまだありません。先に両方のモダリティを埋め込んでください。</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/pairs.py" line="238" />
      <source>(empty)</source>
      <translation>（空）</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/pairs.py" line="259" />
      <source>{0} of {1} pairs shown · {2} reviewed</source>
      <translation>{1} ペア中 {0} ペアを表示 · 確認済み {2}</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/pairs.py" line="308" />
      <source>{0} pairs marked as reviewed</source>
      <translation>{0} ペアを確認済みにしました</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/pairs.py" line="314" />
      <source>Saving reviewed marks</source>
      <translation>確認済みの印を保存しています</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/pairs.py" line="338" />
      <source>Export suspect pairs</source>
      <translation>要確認ペアを書き出す</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/pairs.py" line="338" />
      <source>CSV (*.csv)</source>
      <translation>CSV (*.csv)</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/pairs.py" line="346" />
      <source>Exported {0} pairs to {1}</source>
      <translation>{0} ペアを {1} に書き出しました</translation>
    </message>
  </context>
  <context>
    <name>QuarantineView</name>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="91" />
      <source>Row</source>
      <translation>行</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="91" />
      <source>Id</source>
      <translation>ID</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="91" />
      <source>File</source>
      <translation>ファイル</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="91" />
      <source>Reason</source>
      <translation>理由</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="96" />
      <source>Encoders in this project (device actually used when embedding):</source>
      <translation>このプロジェクトのエンコーダー（埋め込みに実際に使われたデバイス）:</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="98" />
      <source>complete</source>
      <translation>完了</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="98" />
      <source>incomplete: embed again to resume</source>
      <translation>未完了: 再度埋め込むと続きから再開します</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="99" />
      <source>  {0} ({1}, {2}-d) · {3} · sha256 {4}… · {5}</source>
      <translation>  {0}（{1}、{2} 次元）· {3} · sha256 {4}… · {5}</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/main_window.py" line="105" />
      <source>{0} samples used, {1} rows quarantined. Source: {2} (encoding {3})</source>
      <translation>使用 {0} サンプル、隔離 {1} 行。元データ: {2}（文字コード {3}）</translation>
    </message>
  </context>
  <context>
    <name>SpacesView</name>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="65" />
      <source>Colour by </source>
      <translation>色分け </translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="71" />
      <source>Projection </source>
      <translation>投影 </translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="75" />
      <source>PCA: linear, exact, fast for any size.</source>
      <translation>PCA：線形・厳密で、どの規模でも高速です。</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="78" />
      <source>t-SNE: nonlinear map that keeps local neighbourhoods; computed once in the background and saved in the project (up to {0} samples).</source>
      <translation>t-SNE：局所的な近傍関係を保つ非線形の写像です。バックグラウンドで一度だけ計算し、プロジェクトに保存します（{0} サンプルまで）。</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="86" />
      <source>Lasso</source>
      <translation>投げ縄</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="86" />
      <source>Box</source>
      <translation>矩形</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="87" />
      <source>Pan / zoom</source>
      <translation>移動・拡大</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="91" />
      <source>{0} ({1}); Shift adds, Ctrl removes</source>
      <translation>{0} ({1})。Shift で追加、Ctrl で除外</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="97" />
      <source>Clear selection</source>
      <translation>選択を解除</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="100" />
      <source>Export selection…</source>
      <translation>選択を書き出す…</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="102" />
      <source>Export plots…</source>
      <translation>図を書き出す…</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="110" />
      <source>Image space</source>
      <translation>画像空間</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="111" />
      <source>Report space</source>
      <translation>報告空間</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="152" />
      <source>Alignment (shared neighbours)</source>
      <translation>整合度（共有近傍）</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="157" />
      <source>No embeddings yet: embed both modalities to see the spaces.</source>
      <translation>埋め込みがまだありません。両方のモダリティを埋め込むと空間が表示されます。</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="179" />
      <source>Image space · {0}</source>
      <translation>画像空間 · {0}</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="180" />
      <source>Report space · {0}</source>
      <translation>報告空間 · {0}</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="224" />
      <source>t-SNE needs a saved project with embeddings.</source>
      <translation>t-SNE には埋め込み済みの保存されたプロジェクトが必要です。</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="229" />
      <source>t-SNE is available up to {0} samples; this project has {1}. Use PCA.</source>
      <translation>t-SNE は {0} サンプルまで利用できます。このプロジェクトは {1} サンプルあるため、PCA を使ってください。</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="231" />
      <source>t-SNE needs at least {0} samples.</source>
      <translation>t-SNE には {0} サンプル以上が必要です。</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="272" />
      <source>{0} projection</source>
      <translation>{0} 投影</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="276" />
      <source>Computing {0}… the current projection stays visible until it is ready.</source>
      <translation>{0} を計算中… 完了するまで現在の投影を表示します。</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="305" />
      <source>{0} projection failed: {1}</source>
      <translation>{0} 投影に失敗しました: {1}</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="318" />
      <source>all samples</source>
      <translation>全サンプル</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="351" />
      <source>{0} samples · {1} selected</source>
      <translation>{0} サンプル · {1} 件選択</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="353" />
      <source> · mean alignment of the selection {0:.2f} (all: {1:.2f})</source>
      <translation> · 選択の平均整合度 {0:.2f}（全体 {1:.2f}）</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="378" />
      <source>Export selection</source>
      <translation>選択を書き出す</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="378" />
      <source>CSV (*.csv)</source>
      <translation>CSV (*.csv)</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="387" />
      <source>Exported {0} samples to {1}</source>
      <translation>{0} サンプルを {1} に書き出しました</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/spaces.py" line="395" />
      <source>Exported {0} and {1}</source>
      <translation>{0} と {1} を書き出しました</translation>
    </message>
  </context>
  <context>
    <name>StartPage</name>
    <message>
      <location filename="../../work/main/ui/start_page.py" line="89" />
      <source>How well do your inspection images and inspection reports agree? Open a project, or create one from a folder of images and reports.</source>
      <translation>検査画像と検査報告はどれだけ一致していますか？ プロジェクトを開くか、画像と報告のフォルダーから作成してください。</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/start_page.py" line="97" />
      <source>Open project…</source>
      <translation>プロジェクトを開く…</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/start_page.py" line="98" />
      <source>New project from dataset…</source>
      <translation>データセットから新規作成…</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/start_page.py" line="99" />
      <source>Open the demo</source>
      <translation>デモを開く</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/start_page.py" line="110" />
      <source>Recent projects</source>
      <translation>最近のプロジェクト</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/start_page.py" line="135" />
      <source>(none yet)</source>
      <translation>（まだありません）</translation>
    </message>
  </context>
  <context>
    <name>SuspectTableModel</name>
    <message>
      <location filename="../../work/main/ui/views/pairs.py" line="52" />
      <source>Rank</source>
      <translation>順位</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/pairs.py" line="52" />
      <source>Id</source>
      <translation>ID</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/pairs.py" line="52" />
      <source>Alignment</source>
      <translation>整合度</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/pairs.py" line="53" />
      <source>Report</source>
      <translation>検査報告</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/views/pairs.py" line="53" />
      <source>Reviewed</source>
      <translation>確認済み</translation>
    </message>
  </context>
  <context>
    <name>_FigureGrid</name>
    <message>
      <location filename="../../work/main/ui/views/study_views.py" line="211" />
      <source>Export PNG/SVG…</source>
      <translation>PNG/SVG に書き出す…</translation>
    </message>
  </context>
  <context>
    <name>parent</name>
    <message>
      <location filename="../../work/main/ui/plots/export.py" line="76" />
      <source>Export plot</source>
      <translation>図を書き出す</translation>
    </message>
    <message>
      <location filename="../../work/main/ui/plots/export.py" line="77" />
      <source>PNG image (*.png);;SVG vector image (*.svg)</source>
      <translation>PNG 画像 (*.png);;SVG ベクター画像 (*.svg)</translation>
    </message>
  </context>
  <context>
    <name>Figures</name>
    <message>
      <source>Alignment vs k (mutual k-NN)</source>
      <translation>k と整合度（相互 k 近傍）</translation>
    </message>
    <message>
      <source>mutual k-NN</source>
      <translation>相互 k 近傍</translation>
    </message>
    <message>
      <source>no alignment curve yet: run the study</source>
      <translation>整合度曲線はまだありません: 分析を実行してください</translation>
    </message>
    <message>
      <source>image ↔ report</source>
      <translation>画像 ↔ 報告</translation>
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
      <source>text encoder</source>
      <translation>テキストエンコーダー</translation>
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
      <source>probe accuracy (mean of image and text)</source>
      <translation>プローブ正解率（画像とテキストの平均）</translation>
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
      <translation>報告固有 U₂</translation>
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
      <translation>線形不足</translation>
    </message>
    <message>
      <source>intrinsic-dimension ratio</source>
      <translation>内在次元比</translation>
    </message>
    <message>
      <source>transfer loss (bits)</source>
      <translation>転移損失（ビット）</translation>
    </message>
    <message>
      <source>image → report</source>
      <translation>画像 → 報告</translation>
    </message>
    <message>
      <source>report → image</source>
      <translation>報告 → 画像</translation>
    </message>
    <message>
      <source>Retrieval on held-out pairs ({0})</source>
      <translation>検証用ペアでの検索（{0}）</translation>
    </message>
    <message>
      <source>recall@k</source>
      <translation>recall@k</translation>
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