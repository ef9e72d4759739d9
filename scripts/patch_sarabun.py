"""Patch the Sarabun TTFs so Thai SARA AM (ำ) keeps a correct PDF text layer.

Why: HarfBuzz's Thai shaper decomposes SARA AM U+0E33 into NIKHAHIT U+0E4D + SARA AA U+0E32
(moving the nikhahit in front of a tone mark), and Sarabun's ``ccmp`` then fuses tone + nikhahit
into one ligature glyph (``uni0E4D0E48`` ... ``uni0E4D0E4B``, plus ``.narrow`` variants). So the
glyph ``uni0E32`` is drawn both for a plain า and for the tail of ำ. WeasyPrint writes the PDF's
ToUnicode map per glyph id, first use wins, giving the last glyph of a cluster the cluster's text
and the others none (WeasyPrint issue #2841). The shared า glyph therefore extracts as one of
"า"/"ำ" everywhere: "ดำเนินการ" copies out as "ดำเนินกำร", "น้ำ" as "นำ".

Fix: add unencoded copies of ``uni0E32`` (same outline, metrics and hinting) -- one drawn after the
plain nikhahit, one per tone ligature -- and append a chain-context lookup to the Thai ``ccmp``
(after the decomposition and ligature lookups) that swaps ``uni0E32`` for the matching copy when
it follows those glyphs. Each copy then gets its own ToUnicode entry ("ำ", "่ำ", "้ำ", ...) and a
plain า keeps "า". Rendering is unchanged: nothing in GPOS or later GSUB lookups refers to
``uni0E32`` (checked below).

Reads the original fonts from the ``fontpkg-sarabun`` package, writes patched copies with the same
file names (family name still "Sarabun"; Sarabun's OFL declares no Reserved Font Name) plus the
licence as OFL.txt to static/fonts/. Re-running gives byte-identical files (head timestamps are kept
from the originals).

Run: python scripts/patch_sarabun.py
"""

from __future__ import annotations

import copy
import shutil
import sys
import time
from pathlib import Path

import fontpkg_sarabun
from fontTools.otlLib.builder import buildCoverage, buildLookup, buildSingleSubstSubtable
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables as ot
from fontTools.ttLib.tables.otBase import BaseTable

SRC_DIR = Path(fontpkg_sarabun.ROOT) / "files"
OUT_DIR = Path(__file__).resolve().parents[1] / "static" / "fonts"
FILES = ("Sarabun-Regular.ttf", "Sarabun-Bold.ttf", "Sarabun-Italic.ttf", "Sarabun-BoldItalic.ttf")
TONES = (0x0E48, 0x0E49, 0x0E4A, 0x0E4B)  # mai ek, mai tho, mai tri, mai chattawa
VERSION_NOTE = "; ITA Portal: SARA AM text-layer patch"


def _subtables(lookup: ot.Lookup):
    """Yield (lookup type, subtable), unwrapping extension (type 7) subtables."""
    for st in lookup.SubTable:
        if lookup.LookupType == 7:
            yield st.ExtensionLookupType, st.ExtSubTable
        else:
            yield lookup.LookupType, st


def _mentions(obj, glyph: str) -> bool:
    """True if an OpenType table object refers to `glyph` anywhere (coverage, class, mapping)."""
    if isinstance(obj, ot.Coverage):
        return glyph in obj.glyphs
    if isinstance(obj, ot.ClassDef):
        return glyph in obj.classDefs
    if isinstance(obj, dict):
        return glyph in obj or any(_mentions(v, glyph) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return any(_mentions(v, glyph) for v in obj)
    if isinstance(obj, BaseTable):
        return any(_mentions(v, glyph) for v in vars(obj).values())
    return obj == glyph


def _contexts(font: TTFont, gsub: ot.GSUB, name: str) -> dict[str, list[str]]:
    """Map copy-name suffix -> glyphs after which the shaped ำ's า is drawn.

    Names come from the font itself: cmap for nikhahit/tones, the ccmp ligatures for the
    tone+nikhahit glyphs, and their ``.narrow`` forms (used after ป ฝ ฟ).
    """
    cmap = font.getBestCmap()
    nikhahit = cmap[0x0E4D]
    tone_of = {cmap[t]: f"{t:04X}" for t in TONES}
    contexts = {"am": [nikhahit]}
    for lookup in gsub.LookupList.Lookup:
        for kind, st in _subtables(lookup):
            if kind != 4:
                continue
            for first, ligs in st.ligatures.items():
                for lig in ligs:
                    parts = {first, *lig.Component}
                    tones = parts & tone_of.keys()
                    if nikhahit in parts and len(parts) == 2 and tones:
                        contexts.setdefault(f"am{tone_of[tones.pop()]}", []).append(lig.LigGlyph)
    if len(contexts) != 1 + len(TONES):
        raise SystemExit(f"{name}: unexpected nikhahit ligatures {contexts}")
    order = set(font.getGlyphOrder())
    return {
        suffix: sorted({g for base in glyphs for g in (base, f"{base}.narrow") if g in order})
        for suffix, glyphs in sorted(contexts.items())
    }


def patch(src: Path) -> None:
    # recalcTimestamp=False keeps head.modified, so the output is byte-for-byte reproducible.
    font = TTFont(src, recalcTimestamp=False)
    gsub = font["GSUB"].table
    sara_aa = font.getBestCmap()[0x0E32]
    contexts = _contexts(font, gsub, src.name)

    # The ccmp feature(s) whose lookups make the nikhahit ligatures (in Sarabun: Thai's only).
    lig_glyphs = {g for glyphs in contexts.values() for g in glyphs}
    ccmp = [
        rec.Feature
        for rec in gsub.FeatureList.FeatureRecord
        if rec.FeatureTag == "ccmp"
        and any(
            _mentions(gsub.LookupList.Lookup[i], g)
            for i in rec.Feature.LookupListIndex
            for g in lig_glyphs
        )
    ]
    ccmp_lookups = {i for feature in ccmp for i in feature.LookupListIndex}
    # A copy is only safe if nothing after ccmp (and no positioning) treats uni0E32 specially.
    for tag in ("GSUB", "GPOS"):
        for i, lookup in enumerate(font[tag].table.LookupList.Lookup):
            if not (tag == "GSUB" and i in ccmp_lookups) and _mentions(lookup, sara_aa):
                raise SystemExit(
                    f"{src.name}: {tag} lookup {i} uses {sara_aa}; copies would differ"
                )
    if not ccmp:
        raise SystemExit(f"{src.name}: no ccmp feature with the nikhahit ligatures")

    # Add the copies at the end of the glyph order so existing glyph ids stay the same.
    glyf, hmtx = font["glyf"], font["hmtx"]
    copies = {suffix: f"{sara_aa}.{suffix}" for suffix in contexts}
    order = font.getGlyphOrder() + list(copies.values())
    for name in copies.values():
        glyf.glyphs[name] = copy.deepcopy(glyf[sara_aa])
        hmtx.metrics[name] = hmtx.metrics[sara_aa]
    font.setGlyphOrder(order)
    glyf.setGlyphOrder(order)
    gdef = font["GDEF"].table
    for classdef in (gdef.GlyphClassDef, getattr(gdef, "MarkAttachClassDef", None)):
        if classdef is not None and sara_aa in classdef.classDefs:
            for name in copies.values():
                classdef.classDefs[name] = classdef.classDefs[sara_aa]

    # One single substitution per copy, then one chained lookup choosing it by the glyph before.
    glyph_map = font.getReverseGlyphMap()
    lookups = gsub.LookupList.Lookup
    chain = []
    for suffix, before in contexts.items():
        lookups.append(buildLookup([buildSingleSubstSubtable({sara_aa: copies[suffix]})]))
        st = ot.ChainContextSubst()
        st.Format = 3
        st.BacktrackGlyphCount, st.BacktrackCoverage = 1, [buildCoverage(before, glyph_map)]
        st.InputGlyphCount, st.InputCoverage = 1, [buildCoverage([sara_aa], glyph_map)]
        st.LookAheadGlyphCount, st.LookAheadCoverage = 0, []
        record = ot.SubstLookupRecord()
        record.SequenceIndex, record.LookupListIndex = 0, len(lookups) - 1
        st.SubstCount, st.SubstLookupRecord = 1, [record]
        chain.append(st)
    lookups.append(buildLookup(chain))
    gsub.LookupList.LookupCount = len(lookups)
    # Appended last, so within ccmp it runs after the decomposition/ligature/.narrow lookups.
    for feature in ccmp:
        feature.LookupListIndex.append(len(lookups) - 1)
        feature.LookupCount = len(feature.LookupListIndex)

    # Mark the version string so a patched file is recognisable; family names stay "Sarabun".
    for record in font["name"].names:
        if record.nameID == 5:
            record.string = record.toUnicode() + VERSION_NOTE

    out = OUT_DIR / src.name
    font.save(out)
    font.close()
    print(
        f"{src.name}: " + "; ".join(f"{copies[s]} after {' '.join(b)}" for s, b in contexts.items())
    )


def main() -> int:
    start = time.perf_counter()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        patch(SRC_DIR / name)
    shutil.copyfile(Path(fontpkg_sarabun.ROOT) / "LICENSE", OUT_DIR / "OFL.txt")
    print(
        f"wrote {len(FILES)} fonts and OFL.txt to {OUT_DIR} in {time.perf_counter() - start:.2f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
