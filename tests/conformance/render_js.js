#!/usr/bin/env node
// render_js.js ITEMS.json STYLE.csl LOCALES_DIR [LOCALE]
// Renders the bibliography of every item with citeproc-js and prints JSON:
// {"order": [id, ...], "text": {id: entry}, "html": {id: entry}}
'use strict';
const fs = require('fs');
const { system, bibliography } = require('./citeproc_bib');

const [itemsPath, stylePath, localesDir, forcedLocale] = process.argv.slice(2);
const sys = system(JSON.parse(fs.readFileSync(itemsPath, 'utf8')), localesDir);
const result = bibliography(sys, fs.readFileSync(stylePath, 'utf8'), forcedLocale);
process.stdout.write(JSON.stringify(result, null, 1) + '\n');
