"""Inspection reports for the `parts` domain: English, and Japanese as a plant writes them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from benchmarks.heldout.common import article, chance, finish_en, pick, sprinkle

if TYPE_CHECKING:
    from benchmarks.heldout.part_set import PartFacts

TYPE_EN = {"washer": ("washer", "flat washer", "plain washer"),
           "gear": ("gear", "spur gear", "gear wheel"),
           "flange": ("flange", "flange plate", "flange"),
           "hex_bolt": ("hex bolt", "bolt head", "hex head bolt"),
           "bracket": ("bracket", "L-bracket", "angle bracket", "mounting bracket")}
FINISH_EN = {"bare steel": ("bare steel", "uncoated steel", "plain steel"),
             "zinc plated": ("zinc plated", "yellow zinc", "Zn plated"),
             "black oxide": ("black oxide", "blackened", "black finish"),
             "aluminium": ("aluminium", "alu", "aluminum")}
DEFECT_EN = {"scratch": ("scratch", "score mark", "scuff line"),
             "dent": ("dent", "ding", "impact mark"), "burr": ("burr", "sharp burr", "edge burr"),
             "rust": ("rust spot", "corrosion spot", "red rust"),
             "crack": ("crack", "hairline crack", "fracture line"),
             "missing_hole": ("missing hole", "hole not drilled", "undrilled hole")}
ZONE_EN = {"outer edge": ("on the outer edge", "at the rim", "on the periphery"),
           "face": ("on the face", "on the flat face", "mid-face"),
           "bore": ("at the bore", "near the centre hole", "on the inner diameter"),
           "hole": ("next to a hole", "at one of the holes", "by a mounting hole"),
           "edge": ("on the edge", "along the side", "at the edge")}
OUTCOME_EN = {"OK": ("OK.", "Accept.", "Pass.", "Released."),
              "NG": ("NG.", "Reject.", "Scrap.", "To rework.", "Quarantined.")}
BOILER_EN = ("Dimensions checked with caliper, in tolerance.", "Thread gauge OK.",
             "Lot 24-118.", "CMM report attached.", "Checked under ring light.", "Second shift.",
             "Deburr station was down this morning.", "Operator notified.", "Sample retained.",
             "Packed in VCI bag.", "Tool change on op 20 before this lot.")
LONG_EN = (
    "Extra checks for the PPAP run: part measured on the CMM with the standard program, "
    "flatness and hole positions recorded, surface inspected under the ring light and at a "
    "low angle, stamp compared with the traveller; results filed with the lot record.",
    "Note for the next shift: the height gauge on bench 3 is due for calibration, the "
    "compressed air line at the cleaning station was leaking earlier and maintenance has been "
    "informed, and the remaining boxes of this lot are on the blue rack.",
)
VAGUE_EN = ("Surface not quite right, see photo.", "Looks fine to me.", "Check again tomorrow.",
            "Unclear, second opinion needed.", "Part checked per plan.")


def _clock_en(rng: np.random.Generator, clock: int) -> str:
    return pick(rng, (f" at {clock} o'clock", f" ({clock} o'clock)", "", ""))


def _defect_en(rng: np.random.Generator, f: PartFacts) -> str:
    d = f.defect
    if d is None:
        return pick(rng, ("No defects.", "No visible defects.", "Surface clean.", "Nothing found.",
                          "Visual OK, no scratches, dents or burrs."))
    word = pick(rng, DEFECT_EN[d.kind])
    where = pick(rng, ZONE_EN[d.zone]) + _clock_en(rng, d.clock)
    size = max(0.5, round(d.size_mm * 2) / 2)
    if d.kind == "missing_hole":
        return pick(rng, (f"One hole missing{_clock_en(rng, d.clock)}.", f"{word.capitalize()}{_clock_en(rng, d.clock)}.",
                          f"Hole count short: {word}."))
    if d.kind == "scratch" and f.verdict == "OK":
        return f"Light {word} {size:g} mm {where}, within limit."
    forms = (f"{word.capitalize()} approx. {size:g} mm {where}.", f"Found {article(word)} {word} {where}, about {size:g} mm.",
             f"{where.strip().capitalize()}: {word}, {size:g} mm.", f"{word.capitalize()} {where}.")
    return pick(rng, forms)


def _stamp_en(rng: np.random.Generator, f: PartFacts) -> str:
    if not f.stamp_legible:
        return pick(rng, ("Stamp faint, hard to read.", "Marking barely legible.", "Stamp illegible."))
    return pick(rng, (f"Stamp {f.stamp}.", f"Stamped {f.stamp}, legible.", f"Marking: {f.stamp}.",
                      f"Stamp reads {f.stamp}."))


def report_en(rng: np.random.Generator, f: PartFacts) -> str:
    if chance(rng, 0.06):
        return finish_en(rng, [pick(rng, VAGUE_EN), pick(rng, OUTCOME_EN[f.verdict])], BOILER_EN, LONG_EN, 0.0)
    head = f"{pick(rng, TYPE_EN[f.kind]).capitalize()}"
    if chance(rng, 0.6):
        head = f"{head}, {pick(rng, FINISH_EN[f.finish])}" if chance(rng, 0.5) else (
            f"{pick(rng, FINISH_EN[f.finish]).capitalize()} {pick(rng, TYPE_EN[f.kind])}")
    parts = [head + "."]
    if chance(rng, 0.7):
        parts.append(_stamp_en(rng, f))
    defect = _defect_en(rng, f)
    parts = [defect, *parts] if f.defect and chance(rng, 0.3) else [*parts, defect]
    if chance(rng, 0.8):
        parts.append(pick(rng, OUTCOME_EN[f.verdict]))
    parts = sprinkle(rng, parts, BOILER_EN, [0, 0, 1, 1, 2, 5])
    return finish_en(rng, parts, BOILER_EN, LONG_EN)


TYPE_JA = {"washer": ("平ワッシャー", "座金", "ワッシャー"), "gear": ("平歯車", "歯車", "ギア"),
           "flange": ("フランジ", "フランジ板"), "hex_bolt": ("六角ボルト", "ボルト頭部", "六角ボルト頭"),
           "bracket": ("L型ブラケット", "ブラケット", "L金具")}
FINISH_JA = {"bare steel": ("生地", "無処理"), "zinc plated": ("亜鉛めっき", "ユニクロ"),
             "black oxide": ("黒染め", "黒色処理"), "aluminium": ("アルミ", "アルミ材")}
DEFECT_JA = {"scratch": ("キズ", "線キズ", "擦りキズ"), "dent": ("打痕", "凹み", "当たりキズ"),
             "burr": ("バリ", "カエリ", "バリ残り"), "rust": ("錆", "サビ", "赤錆"),
             "crack": ("割れ", "クラック", "亀裂"), "missing_hole": ("穴加工漏れ", "穴なし", "欠穴")}
ZONE_JA = {"outer edge": ("外周部", "外周"), "face": ("平面部", "表面", "面中央付近"),
           "bore": ("内径部", "中心穴周辺"), "hole": ("取付穴周辺", "穴付近"), "edge": ("端部", "エッジ部")}
OUTCOME_JA = {"OK": ("合格。", "OK。", "良品。", ""), "NG": ("不合格。", "NG。", "廃却。", "手直しへ。", "隔離保管。")}
BOILER_JA = ("ノギスにて寸法確認、公差内。", "ロットNo.24-118。", "リングライト下で確認。", "2直。",
             "バリ取り工程は午前中停止。", "前工程へフィードバック済み。", "サンプル保管。",
             "ねじゲージ通り・止まりOK。", "防錆袋にて梱包。", "20工程で刃具交換後のロット。")
LONG_JA = ("量産初回品のため追加確認実施。三次元測定機で穴位置・平面度を測定し記録、"
           "リングライトおよび斜光で外観確認、刻印をトラベラーと照合済み。結果はロット記録に添付。",
           "次直への申し送り：3番ベンチのハイトゲージは校正期限間近、洗浄機のエア漏れは保全へ連絡済み、"
           "本ロットの残り箱は青ラックに置いてあります。")
VAGUE_JA = ("外観やや不良、要確認。", "写真参照。", "問題なさそう。", "念のため再検査予定。")


def _mm_ja(rng: np.random.Generator, value: float) -> str:
    text = f"{max(0.5, round(value * 2) / 2):g}mm"
    if chance(rng, 0.12):
        text = text.translate(str.maketrans("0123456789.m", "０１２３４５６７８９．ｍ"))
    return text


def _defect_ja(rng: np.random.Generator, f: PartFacts) -> str:
    d = f.defect
    if d is None:
        return pick(rng, ("異常なし。", "外観良好。", "キズ・打痕・バリなし。", "特記事項なし。"))
    word, zone = pick(rng, DEFECT_JA[d.kind]), pick(rng, ZONE_JA[d.zone])
    clock = f"{d.clock}時方向" if chance(rng, 0.5) else ""
    size = _mm_ja(rng, d.size_mm)
    if d.kind == "missing_hole":
        return pick(rng, ("取付穴1箇所加工漏れ。", f"{clock}穴1箇所なし。", f"{word}あり。", "穴数不足。"))
    if d.kind == "scratch" and f.verdict == "OK":
        return f"{zone}に軽微な{word}（{size}）あり、規格内。"
    long_words = d.kind in ("scratch", "crack")
    forms = (f"{zone}{('、' + clock) if clock else ''}に{'長さ' if long_words else ''}約{size}の{word}あり。",
             f"{word}（{size}）、{zone}{clock}。", f"{clock}{zone}に{word}。", f"{zone}に{word}あり。")
    return pick(rng, forms)


def _stamp_ja(rng: np.random.Generator, f: PartFacts) -> str:
    if not f.stamp_legible:
        return pick(rng, ("刻印不鮮明。", "刻印が薄く判読困難。"))
    return pick(rng, (f"刻印「{f.stamp}」確認。", f"刻印{f.stamp}、判読可。", f"刻印：{f.stamp}。"))


def report_ja(rng: np.random.Generator, f: PartFacts) -> str:
    if chance(rng, 0.06):
        return pick(rng, VAGUE_JA) + pick(rng, OUTCOME_JA[f.verdict])
    parts = []
    if chance(rng, 0.65):
        finish = f"（{pick(rng, FINISH_JA[f.finish])}）" if chance(rng, 0.4) else ""
        parts.append(f"{pick(rng, TYPE_JA[f.kind])}{finish}。")
    if chance(rng, 0.7):
        parts.append(_stamp_ja(rng, f))
    defect = _defect_ja(rng, f)
    parts = [defect, *parts] if f.defect and chance(rng, 0.4) else [*parts, defect]
    parts.append(pick(rng, OUTCOME_JA[f.verdict]))
    parts = sprinkle(rng, parts, BOILER_JA, [0, 0, 1, 1, 2, 4])
    if chance(rng, 0.06):
        parts.append(pick(rng, LONG_JA))
    return "".join(parts)
