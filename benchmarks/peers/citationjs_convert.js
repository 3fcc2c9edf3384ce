#!/usr/bin/env node
// citationjs_convert.js IN OUT FORMAT: CSL-JSON, .bib or .ris -> bibtex|ris|data (CSL-JSON)
//
// A CSL-JSON array written one item per line (benchmarks/corpus.py) is parsed line by line
// from a Buffer, so that inputs past V8's longest string (about 512 MB) still load.
'use strict';
const fs = require('fs');
const { Cite } = require('@citation-js/core');
require('@citation-js/plugin-bibtex');
require('@citation-js/plugin-ris');
require('@citation-js/plugin-csl');

function readItems(path) {
  const buffer = fs.readFileSync(path);
  const items = [];
  let start = 0;
  while (start < buffer.length) {
    let end = buffer.indexOf(10, start);
    if (end === -1) end = buffer.length;
    let line = buffer.toString('utf8', start, end).trim();
    start = end + 1;
    if (line === '[' || line === ']' || line === '') continue;
    if (line.endsWith(',')) line = line.slice(0, -1);
    items.push(JSON.parse(line));
  }
  return items;
}

const [input, output, format] = process.argv.slice(2);
const data = input.endsWith('.json') ? readItems(input) : fs.readFileSync(input, 'utf8');
const cite = new Cite(data);
// 'data' is Citation.js's CSL-JSON output (cite.format strips its parse history, _graph)
const result = cite.format(format);
fs.writeFileSync(output, result);
