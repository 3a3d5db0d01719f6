#!/usr/bin/env node
// Hypothesis 2022's anchoring on page texts, for benchmarks/accuracy.py.
//
//   node benchmarks/hypothesis_anchor.mjs ORACLE_DIR INPUT.json [--scores] > answers.json
//
// ORACLE_DIR is a copy of ../shared/tools/pdfjs-oracle with `npm ci` done. This script imports
// the oracle's own `anchorSelectors` (position check, then matchQuote with approx-string-match,
// weights 50/20/20/2, no score floor) and gives it pages built from text instead of a PDF: the
// text layer of each page is its page text, as it is for every corpus PDF
// (`layerEqualsText`). INPUT: {model, documents: [{pages: [text...], annotations: [{key,
// selectors}]}]}. Output: {key: [globalStart, globalEnd] | null} in UTF-16 code units; with
// --scores, {key: {span, method, score, errors, quoteLength}}: the oracle's own result fields
// (method 'position' | 'quote'; score and errors of the match matchQuote picked, null for
// 'position') and the length in UTF-16 units of the quote matchQuote searched (whitespace
// stripped, the oracle's isNotSpace), for benchmarks/peer_scores.py.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [oracleDir, inputPath, flag] = process.argv.slice(2);
const withScores = flag === '--scores';
if (!oracleDir || !inputPath) {
  process.stderr.write('usage: node hypothesis_anchor.mjs ORACLE_DIR INPUT.json [--scores]\n');
  process.exit(2);
}
const { anchorSelectors, isNotSpace, MODELS } = await import(
  pathToFileURL(path.join(path.resolve(oracleDir), 'hypo.mjs')).href
);
const input = JSON.parse(fs.readFileSync(inputPath, 'utf8'));
const model = MODELS[input.model ?? 'hypothesis-2022'];
if (!model) throw new Error(`unknown model ${input.model}`);

const out = {};
for (const doc of input.documents) {
  let offset = 0;
  const pages = doc.pages.map((text, index) => {
    const page = { index, offset, text, layer: { text } };
    offset += text.length;
    return page;
  });
  for (const ann of doc.annotations) {
    const r = anchorSelectors(pages, model, ann.selectors);
    const span = r.status === 'anchored' ? [r.globalStart, r.globalEnd] : null;
    if (!withScores) {
      out[ann.key] = span;
      continue;
    }
    const exact = ann.selectors.find(s => s && s.type === 'TextQuoteSelector')?.exact ?? '';
    let quoteLength = 0;
    for (let i = 0; i < exact.length; i++) if (isNotSpace(exact[i])) quoteLength++;
    out[ann.key] = {
      span, method: r.method ?? null, score: r.score ?? null, errors: r.errors ?? null,
      quoteLength,
    };
  }
}
process.stdout.write(JSON.stringify(out));
