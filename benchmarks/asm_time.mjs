#!/usr/bin/env node
// Per-case time of approx-string-match (Hypothesis's matcher) for benchmarks/speed.py.
//
//   node benchmarks/asm_time.mjs NODE_MODULES_DIR INPUT.json [REPEAT] > OUTPUT.json
//
// INPUT: {texts: [text, ...], cases: [{text: index, quote, maxErrors}]}. For each case the
// whole text is searched with `search(text, quote, maxErrors)` (Hypothesis 2022's matchQuote
// uses maxErrors = min(256, quote.length / 2)) and the best match (fewest errors, then first)
// is kept. OUTPUT: {version, seconds: [per case], matches: [[start, end, errors] | null]}
// (UTF-16 code units).

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [modulesDir, inputPath] = process.argv.slice(2);
if (!modulesDir || !inputPath) {
  process.stderr.write('usage: node asm_time.mjs NODE_MODULES_DIR INPUT.json\n');
  process.exit(2);
}
const pkgDir = path.join(path.resolve(modulesDir), 'approx-string-match');
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const mod = await import(pathToFileURL(path.join(pkgDir, pkg.main ?? 'index.js')).href);
const search = mod.default ?? mod.search;

const input = JSON.parse(fs.readFileSync(inputPath, 'utf8'));
// Warm the JIT on the first text so the first timed case is not a compile.
if (input.cases.length) {
  const c = input.cases[0];
  for (let i = 0; i < 3; i++) search(input.texts[c.text], c.quote, c.maxErrors);
}
// REPEAT passes over all cases (default 1); each case's fastest pass counts.
const repeat = Math.max(1, Number(process.argv[4] ?? 1));
const seconds = input.cases.map(() => Infinity);
const matches = [];
for (let pass = 0; pass < repeat; pass++) {
  input.cases.forEach((c, k) => {
    const t0 = process.hrtime.bigint();
    const found = search(input.texts[c.text], c.quote, c.maxErrors);
    let best = null;
    for (const m of found) {
      if (best === null || m.errors < best.errors) best = m;
    }
    const t1 = process.hrtime.bigint();
    seconds[k] = Math.min(seconds[k], Number(t1 - t0) / 1e9);
    matches[k] = best === null ? null : [best.start, best.end, best.errors];
  });
}
process.stdout.write(JSON.stringify({ version: pkg.version, seconds, matches }));
