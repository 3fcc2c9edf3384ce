#!/usr/bin/env node
// render_styles.js ITEMS.json LOCALES_DIR STYLE.csl [STYLE.csl ...]
// One node run for several styles (the long-bibliography comparison): prints JSON
// {STYLE_FILE_STEM: {"order": [id, ...], "text": {id: entry}, "html": {id: entry}}, ...}
'use strict';
const fs = require('fs');
const path = require('path');
const { system, bibliography } = require('./citeproc_bib');

const [itemsPath, localesDir, ...stylePaths] = process.argv.slice(2);
const sys = system(JSON.parse(fs.readFileSync(itemsPath, 'utf8')), localesDir);
const result = {};
for (const stylePath of stylePaths) {
  result[path.basename(stylePath, '.csl')] = bibliography(sys, fs.readFileSync(stylePath, 'utf8'));
}
process.stdout.write(JSON.stringify(result) + '\n');
