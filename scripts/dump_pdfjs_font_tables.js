// Regenerates src/tether/textmodel/pdfjs211/data/*.json from PDF.js 2.11.338's own modules
// (Apache-2.0 data, see data/NOTICE). Not needed by the tests or at run time.
// Usage: node scripts/dump_pdfjs_font_tables.js OUT_DIR
// (expects pdfjs-dist 2.11.338 at PDFJS_DIST, default /tmp/oracle/node_modules/pdfjs-dist-2.11)
const path = require('path');
const fs = require('fs');
const dist = process.env.PDFJS_DIST || '/tmp/oracle/node_modules/pdfjs-dist-2.11';
const core = dist + '/lib/core/';
const out = process.argv[2];
const enc = require(core + 'encodings.js');
const gl = require(core + 'glyphlist.js');
const uni = require(core + 'unicode.js');
const sf = require(core + 'standard_fonts.js');
const met = require(core + 'metrics.js');
const cffp = require(core + 'cff_parser.js');
const charsets = require(core + 'charsets.js');
function obj(o) { const r = {}; for (const k in o) r[k] = o[k]; return r; }
function w(name, data) { fs.writeFileSync(path.join(out, name), JSON.stringify(data)); }
const names = ['StandardEncoding','MacRomanEncoding','WinAnsiEncoding','SymbolSetEncoding','ZapfDingbatsEncoding','ExpertEncoding','MacExpertEncoding'];
const encs = {}; for (const n of names) encs[n] = enc.getEncoding(n);
w('encodings.json', encs);
w('glyphlist.json', obj(gl.getGlyphsUnicode()));
w('dingbats_glyphlist.json', obj(gl.getDingbatsGlyphsUnicode()));
const norm = obj(uni.getNormalizedUnicodes());
// RTL: reverseIfRtl reverses strings starting with a char in UnicodeRanges[11] or [13]
const rtl = []; let start = -1;
for (let c = 0; c <= 0x10000; c++) {
  const isr = c < 0x10000 && uni.reverseIfRtl(String.fromCharCode(c) + 'a') !== String.fromCharCode(c) + 'a';
  if (isr && start < 0) start = c;
  if (!isr && start >= 0) { rtl.push([start, c]); start = -1; }
}
w('unicode.json', {normalized: norm, rtl_ranges: rtl});
const metrics = {}; const M = met.getMetrics();
for (const k in M) { const v = M[k]; metrics[k] = typeof v === 'number' ? v : obj(v()); }
w('metrics.json', metrics);
w('standard_fonts.json', {
  std_font_map: obj(sf.getStdFontMap()), non_std_font_map: obj(sf.getNonStdFontMap()),
  serif_fonts: Object.keys(obj(sf.getSerifFonts())), symbols_fonts: Object.keys(obj(sf.getSymbolsFonts())),
  font_name_to_file: obj(sf.getFontNameToFileMap()),
  glyph_map_for_standard_fonts: obj(sf.getGlyphMapForStandardFonts()),
  supplemental_glyph_map_arial_black: obj(sf.getSupplementalGlyphMapForArialBlack()),
  supplemental_glyph_map_calibri: obj(sf.getSupplementalGlyphMapForCalibri()),
});
w('cff.json', {standard_strings: cffp.CFFStandardStrings, iso_adobe: charsets.ISOAdobeCharset,
  expert: charsets.ExpertCharset, expert_subset: charsets.ExpertSubsetCharset});
// Predefined CMaps (Adobe cmap-resources, BSD-3-Clause): name -> base64(zlib(.bcmap)).
const zlib = require('zlib');
const cmaps = {};
for (const f of fs.readdirSync(dist + '/cmaps').sort()) {
  if (f.endsWith('.bcmap')) {
    cmaps[f.slice(0, -6)] = zlib.deflateSync(fs.readFileSync(dist + '/cmaps/' + f), {level: 9}).toString('base64');
  }
}
w('cmaps.json', {notice: 'Predefined CMaps of PDF.js 2.11.338 (pdfjs-dist/cmaps/*.bcmap, packed Adobe cmap-resources), each zlib-compressed and base64-encoded. Licence:\n' +
  fs.readFileSync(dist + '/cmaps/LICENSE', 'utf8'), cmaps});
