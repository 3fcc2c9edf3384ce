#!/usr/bin/env node
// citeproc_render.js ITEMS.json STYLE.csl LOCALES_DIR OUT: the bibliography as text (citeproc-js)
'use strict';
const fs = require('fs');
const path = require('path');
const CSL = require('citeproc');
const [itemsPath, stylePath, localesDir, outPath] = process.argv.slice(2);
const items = JSON.parse(fs.readFileSync(itemsPath, 'utf8'));
const byId = new Map(items.map((item) => [String(item.id), item]));
const sys = {
  retrieveItem: (id) => byId.get(String(id)),
  retrieveLocale: (lang) => {
    const file = path.join(localesDir, `locales-${lang}.xml`);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : false;
  },
};
const engine = new CSL.Engine(sys, fs.readFileSync(stylePath, 'utf8'));
engine.setOutputFormat('text');
engine.updateItems([...byId.keys()]);
const [, entries] = engine.makeBibliography();
fs.writeFileSync(outPath, entries.join(''));
