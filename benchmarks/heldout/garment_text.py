"""Inspection reports for the `garments` domain, in English and in Japanese.

A report states what the photo shows (type, colour and tone, fabric, sleeves, the drawn
defect with where and how large) in varied words and order; some are vague, some add
desk boilerplate, a few name a look-alike type (tee for shirt), a few have typos.
"""

from __future__ import annotations

import numpy as np

from benchmarks.heldout.common import article, chance, finish_en, pick, sprinkle
from benchmarks.heldout.garments import GarmentFacts

TYPE_EN: dict[str, tuple[str, ...]] = {
    "tshirt_top": ("T-shirt", "tee", "short-sleeve top", "T-shirt"),
    "trouser": ("trousers", "pants", "slacks", "trousers"),
    "pullover": ("pullover", "sweater", "jumper", "knit pullover"),
    "dress": ("dress", "one-piece dress", "dress"),
    "coat": ("coat", "jacket", "coat"),
    "sandal": ("sandal", "open sandal", "strappy sandal"),
    "shirt": ("shirt", "button-up shirt", "blouse", "shirt"),
    "sneaker": ("sneaker", "trainer", "sports shoe", "sneaker"),
    "bag": ("bag", "handbag", "tote bag", "bag"),
    "ankle_boot": ("ankle boot", "boot", "short boot"),
}
LOOKALIKE: dict[str, tuple[str, ...]] = {
    "tshirt_top": ("shirt", "pullover"), "shirt": ("tshirt_top", "pullover", "coat"),
    "pullover": ("coat", "shirt"), "coat": ("pullover", "shirt"), "sandal": ("sneaker",),
    "sneaker": ("sandal", "ankle_boot"), "ankle_boot": ("sneaker",), "dress": ("coat",),
}
LOOKALIKE_RATE = 0.02  # an inspector names a look-alike type (tee for a shirt)
VAGUE_RATE = 0.04
NOT_FABRIC = ("sandal", "sneaker", "ankle_boot", "bag")
TONE_EN = {"dark": ("dark", "deep"), "medium": ("", ""), "light": ("light", "pale")}
PATTERN_EN = {"plain": ("plain fabric", "solid colour", "smooth fabric", ""),
              "textured": ("textured fabric", "visible knit texture", "patterned surface",
                           "fine print visible")}
DEFECT_EN = {"stain": ("stain", "mark", "spot of soiling", "stain"),
             "tear": ("tear", "rip", "torn seam area", "tear"),
             "hole": ("hole", "small hole", "puncture", "hole"),
             "loose thread": ("loose thread", "hanging thread", "thread pull", "loose thread")}
CLEAN_EN = ("No defects found.", "No visible defects.", "Surface clean, stitching OK.",
            "Nothing abnormal.", "No stains, tears or holes.", "Clean.")
VAGUE_EN = ("Checked, see photo.", "Item looked at quickly, will recheck later.",
            "Something looks odd, second opinion needed.", "Appearance acceptable I think.",
            "Garment inspected per checklist.")
BOILER_EN = ("Checked against spec sheet rev C.", "Photo taken at station 2.",
             "Care label present and legible.", "Folded and bagged after inspection.",
             "Batch card attached.", "Lighting at the table was checked at shift start.",
             "Count matches the packing list.", "Inspector remark: line speed normal today.",
             "Customer sample, handle with care.", "Re-inspection not required.")
LONG_EN = (
    "Full inspection requested by the customer for this order: front and back checked on the "
    "light table, seams pulled at three points, print position compared with the approved "
    "sample, and chest, length and sleeve measured; all within tolerance unless noted above.",
    "Note for the next shift: the reference sample book was moved to the second table, the "
    "lamp on the left side flickers and has been reported, and the remaining cartons of this "
    "order should be checked before the truck arrives in the afternoon.",
)
OUTCOME_EN = {True: ("Sent to rework.", "Hold for QA.", "Rejected.", "Downgraded to B-grade."),
              False: ("OK.", "Pass.", "Released.", "OK to pack.", "")}


def _where_en(rng: np.random.Generator, region: tuple[str, str]) -> str:
    v, h = region
    if (v, h) == ("middle", "centre"):
        return pick(rng, ("in the centre", "mid-body", "at the centre"))
    if h == "centre":
        return f"on the {v} part"
    if v == "middle":
        return f"on the {h} side"
    return f"{v} {h}"


def _type_word(rng: np.random.Generator, f: GarmentFacts) -> str:
    cls = f.cls
    if cls in LOOKALIKE and chance(rng, LOOKALIKE_RATE):
        cls = pick(rng, LOOKALIKE[cls])
    return pick(rng, TYPE_EN[cls])


def _describe_en(rng: np.random.Generator, f: GarmentFacts) -> list[str]:
    tone = pick(rng, TONE_EN[f.tone])
    colour = f"{tone} {f.colour}".strip()
    noun = _type_word(rng, f)
    fabric = pick(rng, PATTERN_EN[f.pattern])
    if f.cls in NOT_FABRIC:
        fabric = fabric.replace("fabric", "surface").replace("knit texture", "grain")
    extras = []
    if f.sleeves != "none" and chance(rng, 0.6):
        extras.append(f"{f.sleeves} sleeves")
    if f.cls == "shirt" and chance(rng, 0.4):
        extras.append(pick(rng, ("collar and buttons OK", "button placket checked")))
    if f.cls == "coat" and chance(rng, 0.4):
        extras.append(pick(rng, ("front zip works", "front closure OK")))
    if f.silhouette == "long" and f.cls in ("dress", "trouser") and chance(rng, 0.4):
        extras.append("full length")
    if fabric:
        extras.append(fabric)
    head = f"{colour.capitalize()} {noun}" if chance(rng, 0.6) else f"{noun.capitalize()}, {colour}"
    if extras and chance(rng, 0.5):
        return [head + ", " + ", ".join(extras) + "."]
    return [head + "."] + [e.capitalize() + "." for e in extras]


def _defect_en(rng: np.random.Generator, f: GarmentFacts) -> list[str]:
    if f.defect is None:
        return [pick(rng, CLEAN_EN)]
    word = pick(rng, DEFECT_EN[f.defect])
    where = _where_en(rng, f.region)
    forms = (f"{word.capitalize()} {where}, approx. {f.size_mm} mm.",
             f"Found {article(word)} {word} {where} (about {f.size_mm} mm).",
             f"Defect: {word}, {f.size_mm} mm, {where}.",
             f"{where.capitalize()} there is {article(word)} {word}.",
             f"{word.capitalize()} of ~{f.size_mm}mm {where}.")
    return [pick(rng, forms)]


def report_en(rng: np.random.Generator, f: GarmentFacts) -> str:
    if chance(rng, VAGUE_RATE):
        text = pick(rng, VAGUE_EN)
        if chance(rng, 0.5):
            text = f"{f.colour.capitalize()} item. " + text
        return finish_en(rng, [text], BOILER_EN, LONG_EN, 0.0)
    if chance(rng, 0.2):  # telegraphic form
        defect = "none" if f.defect is None else f"{pick(rng, DEFECT_EN[f.defect])} {_where_en(rng, f.region)}"
        parts = [f"Item: {_type_word(rng, f)}.", f"Colour: {f.colour}.", f"Defect: {defect}.",
                 f"Result: {'NG' if f.defect else 'OK'}."]
    else:
        parts = _describe_en(rng, f)
        parts = _defect_en(rng, f) + parts if f.defect and chance(rng, 0.35) else parts + _defect_en(rng, f)
        outcome = pick(rng, OUTCOME_EN[f.defect is not None])
        if outcome:
            parts.append(outcome)
    parts = sprinkle(rng, parts, BOILER_EN, [0, 0, 1, 1, 2, 4])
    return finish_en(rng, parts, BOILER_EN, LONG_EN)


TYPE_JA: dict[str, tuple[str, ...]] = {
    "tshirt_top": ("Tシャツ", "カットソー", "半袖トップス"), "trouser": ("ズボン", "パンツ", "スラックス"),
    "pullover": ("プルオーバー", "セーター", "ニット"), "dress": ("ワンピース", "ドレス"),
    "coat": ("コート", "ジャケット", "アウター"), "sandal": ("サンダル", "サンダル（婦人）"),
    "shirt": ("シャツ", "ブラウス", "開襟シャツ"), "sneaker": ("スニーカー", "運動靴"),
    "bag": ("バッグ", "手提げ袋", "トートバッグ"), "ankle_boot": ("ショートブーツ", "アンクルブーツ"),
}
COLOUR_JA = {"navy": "紺", "red": "赤", "beige": "ベージュ", "olive": "カーキ", "grey": "グレー",
             "brown": "茶", "light blue": "水色", "pink": "ピンク"}
TONE_JA = {"dark": ("濃い", "暗めの"), "medium": ("", ""), "light": ("淡い", "明るい")}
PATTERN_JA = {"plain": ("無地", "無地の生地", ""), "textured": ("織り柄あり", "凹凸のある生地", "細かい柄")}
DEFECT_JA = {"stain": ("シミ", "汚れ", "シミ"), "tear": ("破れ", "裂け"), "hole": ("穴あき", "小穴"),
             "loose thread": ("糸ほつれ", "ほつれ", "糸飛び")}
WHERE_JA = {"upper": "上部", "middle": "中央部", "lower": "下部", "left": "左", "right": "右"}
CLEAN_JA = ("異常なし。", "外観良好、異常なし。", "汚れ・破れ・ほつれなし。", "縫製・外観とも問題なし。",
            "特記事項なし。")
VAGUE_JA = ("目視確認済み。", "少し気になる箇所あり、再確認お願いします。", "概ね良好と思われる。",
            "写真参照。")
LONG_JA = ("顧客要求により全数検査。表裏をライトテーブルで確認し、縫い目3箇所の引張確認、"
           "プリント位置を承認サンプルと比較、身幅・着丈・袖丈も公差内。",
           "次直への申し送り：見本帳は2番台へ移動、左側照明のちらつきは保全へ連絡済み、"
           "本オーダー残りの箱は午後の出荷前に確認すること。")
BOILER_JA = ("仕様書Rev.Cと照合済み。", "2番台にて撮影。", "洗濯表示タグあり。", "検品後、袋詰め済み。",
             "ロット票添付。", "照度は始業時に確認済み。", "数量は出荷リストと一致。",
             "本日ライン速度通常。", "顧客サンプルにつき取扱注意。")
OUTCOME_JA = {True: ("手直しへ。", "保留、QA確認待ち。", "不合格。", "B品扱い。"),
              False: ("合格。", "OK。", "出荷可。", "")}


def _where_ja(region: tuple[str, str]) -> str:
    v, h = region
    if h == "centre":
        return WHERE_JA[v]
    if v == "middle":
        return f"{WHERE_JA[h]}側"
    return f"{WHERE_JA[h]}{WHERE_JA[v][0]}部"


def _digits_ja(rng: np.random.Generator, value: int) -> str:
    text = f"{value}mm"
    if chance(rng, 0.15):  # full-width digits, as some input methods type them
        text = text.translate(str.maketrans("0123456789m", "０１２３４５６７８９ｍ"))
    return text


def report_ja(rng: np.random.Generator, f: GarmentFacts) -> str:
    if chance(rng, VAGUE_RATE):
        return pick(rng, VAGUE_JA) + (pick(rng, BOILER_JA) if chance(rng, 0.5) else "")
    cls = f.cls if f.cls not in LOOKALIKE or not chance(rng, LOOKALIKE_RATE) else pick(rng, LOOKALIKE[f.cls])
    colour = COLOUR_JA[f.colour] + ("色" if chance(rng, 0.4) and len(COLOUR_JA[f.colour]) == 1 else "")
    head = f"{pick(rng, TONE_JA[f.tone])}{colour}の"
    noun = pick(rng, TYPE_JA[cls])
    if f.sleeves != "none" and "袖" not in noun and chance(rng, 0.6):
        head += "長袖" if f.sleeves == "long" else "半袖"
    head += noun
    fabric = pick(rng, PATTERN_JA[f.pattern])
    if f.cls in NOT_FABRIC:
        fabric = fabric.replace("生地", "表面")
    parts = [head + (f"、{fabric}。" if fabric else "。")]
    if f.defect is None:
        parts.append(pick(rng, CLEAN_JA))
    else:
        word, where, size = pick(rng, DEFECT_JA[f.defect]), _where_ja(f.region), _digits_ja(rng, f.size_mm)
        forms = (f"{where}に約{size}の{word}あり。", f"{word}（{size}程度）、{where}。",
                 f"{where}に{word}。大きさ約{size}。", f"{where}{word}あり。")
        defect = pick(rng, forms)
        parts = [defect, *parts] if chance(rng, 0.3) else [*parts, defect]
    outcome = pick(rng, OUTCOME_JA[f.defect is not None])
    if outcome:
        parts.append(outcome)
    parts = sprinkle(rng, parts, BOILER_JA, [0, 0, 1, 1, 2, 3])
    if chance(rng, 0.06):
        parts.append(pick(rng, LONG_JA))
    return "".join(parts)
