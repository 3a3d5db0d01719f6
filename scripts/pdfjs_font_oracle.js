// PDF.js 2.11.338 font oracle for tether's font-layer tests (not needed by the tests or at run
// time; its JSON output is committed under fixtures/fonts/).
// Runs getTextContent({normalizeWhitespace: true}) on every page with PDF.js's per-module build
// (lib/, so lib/core/evaluator.js can be observed) and prints, per loaded font object, what
// getTextContent reads from it: spaceWidth, fontMatrix, vertical, Type 3 bbox / isCharBBox,
// and every glyph it produced (code -> [unicode, width, isSpace, vmetric]), with the font
// references ("num gen") that loaded it.
// Usage: node scripts/pdfjs_font_oracle.js FILE.pdf [LABEL] > OUT.json
// PDFJS_SYSTEM_FONTS=1 sets useSystemFonts (the browser default) instead of Node's default.
// (expects pdfjs-dist 2.11.338 at PDFJS_DIST, default /tmp/oracle/node_modules/pdfjs-dist-2.11)
const fs = require('fs');
const path = require('path');
const dist = process.env.PDFJS_DIST || '/tmp/oracle/node_modules/pdfjs-dist-2.11';
const fontsMod = require(dist + '/lib/core/fonts.js');
const evalMod = require(dist + '/lib/core/evaluator.js');
const prim = require(dist + '/lib/core/primitives.js');
globalThis.pdfjsWorker = require(dist + '/lib/pdf.worker.js');
const lib = require(dist + '/lib/pdf.js');
const refsOf = new Map();  // Font object -> Set(ref strings)
const origLoad = evalMod.PartialEvaluator.prototype.loadFont;
evalMod.PartialEvaluator.prototype.loadFont = function (fontName, font, resources, ...rest) {
  let ref = font;
  if (!ref) { const fr = resources && resources.get('Font'); if (fr) ref = fr.getRaw(fontName); }
  const key = prim.isRef(ref) ? `${ref.num} ${ref.gen}` : (ref ? 'direct:' + fontName : 'missing:' + fontName);
  return origLoad.call(this, fontName, font, resources, ...rest).then(tr => {
    if (!refsOf.has(tr.font)) refsOf.set(tr.font, new Set());
    refsOf.get(tr.font).add(key);
    return tr;
  });
};
(async () => {
  const file = process.argv[2];
  const doc = await lib.getDocument({data: new Uint8Array(fs.readFileSync(file)),
    cMapUrl: dist + '/cmaps/', cMapPacked: true, standardFontDataUrl: dist + '/standard_fonts/',
    verbosity: 0, isEvalSupported: false,
    useSystemFonts: process.env.PDFJS_SYSTEM_FONTS === '1'}).promise;
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    await page.getTextContent({normalizeWhitespace: true});
  }
  const out = [];
  for (const [font, refs] of refsOf) {
    const glyphs = {};
    if (font._glyphCache) for (const [code, g] of Object.entries(font._glyphCache))
      glyphs[code] = [g.unicode, g.width, g.isSpace, g.vmetric || null];
    out.push({refs: [...refs], name: font.name, error: font.error || null, loadedName: font.loadedName,
      spaceWidth: font.error ? null : font.spaceWidth, fontMatrix: font.fontMatrix || null,
      isType3: !!font.isType3Font, vertical: !!font.vertical, bbox: font.bbox || null,
      isCharBBox: !!font.isCharBBox, defaultWidth: font.defaultWidth, glyphs});
  }
  process.stdout.write(JSON.stringify({pdfjs: lib.version, pdf: process.argv[3] || path.basename(file), fonts: out}));
  await doc.destroy();
})().catch(e => { console.error(e); process.exit(1); });
