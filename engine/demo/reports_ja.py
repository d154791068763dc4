"""Japanese inspection reports for the demo dataset (`alignscope demo DIR --lang ja`).

Same facts and the same structure as the English writer (engine/demo/reports.py): a finding
(defect kind, severity, location and size, or a vague remark), measured values, line and
shift notes and a disposition, in varied order and wording, the way inspectors at a
Japanese weaving plant write them: kanji and kana with Latin line names and units, now and
then full-width digits. The long appendix is long enough to be truncated by every text
encoder (over 512 tokens).
"""

from __future__ import annotations

import numpy as np

from engine.demo.reports import Facts

LOCAL_DEFECTS = ("引っ掛け", "穴あき", "糸むら（スラブ）", "節", "緯糸切れ", "浮き", "太糸部", "細糸部",
                 "ピンホール", "シミ")
GLOBAL_DEFECTS = ("織り密度のムラ", "横段", "色ムラ", "風合いのばらつき", "まだら", "経筋", "組織の乱れ",
                  "柄の規則性の崩れ")
SEVERITY_WORDS = {
    "minor": ("軽微な", "わずかな", "小さな", "薄い"),
    "moderate": ("中程度の", "目立つ", "はっきりした", "目視で分かる"),
    "major": ("重度の", "顕著な", "大きな", "深刻な", "ひどい"),
}
SEVERITY_LABELS = {"minor": "軽度", "moderate": "中度", "major": "重度"}
LOCATIONS = ("左耳付近", "右端寄り", "上部3分の1", "下半分", "パネル中央", "左上隅寄り", "右下隅付近",
             "先端から約40mmの位置", "幅方向の中央", "中央帯")
NOMINAL_FINDINGS = (
    "欠点なし。", "表面良好、目視で異常なし。", "織りは均一で特記事項なし。", "パネル全体で風合いは規則的。",
    "外観検査合格、異常なし。", "引っ掛け・穴・筋は見られず。", "表面きれい、組織は安定。",
    "標準照明下で検査：適合。", "表面側に異常なし。",
)
VAGUE_FINDINGS = (
    "何か違和感があるが、特定できず。", "不規則な箇所がある可能性。この照明では判断が難しい。",
    "判断に迷う：基準見本とわずかに見え方が異なる。", "オペレーターから指摘あり、問題点は不明。",
    "少し様子がおかしい。再確認を依頼。",
)
LINE_NOTES = {
    "L1": ("L1は通常稼働。", "1号ラインはシフト中に経糸ビームを交換。", "L1の巻取りローラーを本ロット前に清掃。"),
    "L2": ("L2安定。", "2号ライン：新しい糸コーンのロットを投入。", "L2は試験のため速度を落として運転。"),
    "L3": ("L3で本日湿度制御アラームあり。", "3号ラインは経糸切れの後に再起動。",
           "L3のエアジェット圧が変動、保全に連絡済み。"),
    "L4": ("L4正常。", "4号ラインは定期保全後。", "L4の張力センサーを再校正。"),
}
SHIFT_NOTES = {
    "day": ("日勤。", "日勤開始時に確認。"),
    "evening": ("夕勤。", "遅番で確認。"),
    "night": ("夜勤、ステーション2は照明が暗い。", "夜勤で確認。"),
}
REMARKS = {
    "nominal": ("出荷可。", "出荷OK。", "合格。", "受入れ。", ""),
    "defect": ("手直しへ回す。", "QA判定まで保留。", "不合格。", "確認待ちのため隔離。", "切除対象としてマーク。",
               "二級品に格下げ。"),
}
LONG_APPENDIX = (
    "顧客からロット全体のトレーサビリティを求められているため、以下に当直日誌からの追加記録を残す。"
    "オペレーターは織機の設定値を設定表と照合し、糸のロット番号は倉庫の記録と突き合わせて確認した。"
    "検査台の照度を測定したところ規定範囲内であり、基準見本はマスター帳から新しいものに交換した。"
    "シフト中、織布工場内の温度は許容範囲内に保たれ、保全班からも異常な振動の報告はなかった。"
    "サンプルは拡散光と斜光の二条件で撮影し、いずれの写真もロット記録とともに保管した。"
    "検査員によれば、同じビームから直前に織られた三枚のパネルにも同様の特徴が見られたとのことで、"
    "次のシフトでラインを担当する工程技術者と一緒に傾向を追跡する予定である。"
    "なお、前日の夜勤で交換した綜絖枠の調整については、保全記録に記載のとおり再点検を依頼済みであり、"
    "その結果が出るまでは同条件で織られた反物を別置きとし、出荷判定を保留する。"
    "あわせて、糸の含水率、整経時の張力記録、筬の摩耗状況、エアジェットノズルの詰まりの有無、"
    "巻取り張力の設定値、工場内の湿度推移についても確認し、それぞれの記録を品質保証部門へ提出した。"
    "品質保証部門からは、同一ロットの残り全数について斜光下での再検査を行い、"
    "欠点の位置・大きさ・種類を所定の様式で報告するよう指示があった。"
    "再検査は明日の日勤で実施し、結果は本報告書の追記として登録する。"
    "また、同じ原糸ロットを使用している他ラインの生産品についても、抜き取りで外観確認を行う。"
    "抜き取りの数量と判定基準は品質保証部門の手順書に従い、記録は電子帳票に入力する。"
    "これらの処置が完了するまで、本ロットは出荷保留の札を付けて検査場の所定の棚に保管する。"
    "以上、次のシフトへの申し送り事項とする。"
) * 2

FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]


def _finding(rng: np.random.Generator, f: Facts, vague: bool) -> str:
    if f.defect_class == "nominal":
        return _pick(rng, NOMINAL_FINDINGS)
    if vague:
        return _pick(rng, VAGUE_FINDINGS)
    sev = _pick(rng, SEVERITY_WORDS.get(f.severity, ("目視で分かる",)))
    label = SEVERITY_LABELS.get(f.severity, "中度")
    if f.defect_class == "local_defect":
        kind, where = _pick(rng, LOCAL_DEFECTS), _pick(rng, LOCATIONS)
        size = float(rng.uniform(1.5, 12.0))
        forms = (
            f"{where}に{sev}{kind}あり、約{size:.1f}mm。",
            f"{where}で{sev}{kind}を発見（{size:.0f}mm）。",
            f"局所欠点：{kind}、{label}、{where}。大きさ約{size:.1f}mm。",
            f"{where}に{sev}{kind}がある。",
            f"{kind}（{label}）が{where}に1か所。幅{size:.1f}mmを計測。",
        )
    else:
        kind = _pick(rng, GLOBAL_DEFECTS)
        extent = int(rng.integers(40, 101))
        forms = (
            f"パネル全体に{sev}{kind}。",
            f"全体的な問題：{kind}（{label}）、表面の約{extent}%に影響。",
            f"サンプル全体に{sev}{kind}が見られる。",
            f"幅方向全体に{kind}、{label}。",
            f"パネル全域の{kind}、重大度：{label}。",
        )
    return _pick(rng, forms)


def _measurement(rng: np.random.Generator, f: Facts) -> str:
    forms = (
        f"張力 {f.tension_cn:.1f} cN、湿度 {f.humidity_pct:.0f}%。",
        f"糸張力の測定値 {f.tension_cn:.1f} cN、湿度 {f.humidity_pct:.0f} %RH。",
        f"湿度{f.humidity_pct:.0f}%、張力{f.tension_cn:.1f}cN、織機{f.speed_rpm}rpm。",
        f"織機速度 {f.speed_rpm} rpm。",
        f"張力測定値 {f.tension_cn:.1f} cN。",
        "",
    )
    return _pick(rng, forms)


def write_report_ja(rng: np.random.Generator, f: Facts, *, vague: bool = False, long: bool = False) -> str:
    """One Japanese inspection report for the facts ``f``; order and wording vary with ``rng``."""
    finding = _finding(rng, f, vague)
    extras = [t for t in (_measurement(rng, f),) if t]
    if rng.random() < 0.6:
        extras.append(_pick(rng, LINE_NOTES[f.line]))
    if rng.random() < 0.35:
        extras.append(_pick(rng, SHIFT_NOTES[f.shift]))
    order = rng.permutation(len(extras))
    body = [finding] + [extras[i] for i in order] if rng.random() < 0.7 else [extras[i] for i in order] + [finding]
    remark = _pick(rng, REMARKS["nominal" if f.defect_class == "nominal" else "defect"])
    if remark:
        body.append(remark)
    if long:
        body.append(LONG_APPENDIX)
    text = "".join(body)
    if rng.random() < 0.1:
        text = text.translate(FULL_WIDTH_DIGITS)
    return text
