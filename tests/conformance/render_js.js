#!/usr/bin/env node
// render_js.js ITEMS.json STYLE.csl LOCALES_DIR [LOCALE]
// Renders the bibliography of every item with citeproc-js and prints JSON:
// {"order": [id, ...], "text": {id: entry}, "html": {id: entry}}
'use strict';
const fs = require('fs');
const path = require('path');
const CSL = require('citeproc');

const [itemsPath, stylePath, localesDir, forcedLocale] = process.argv.slice(2);
const items = JSON.parse(fs.readFileSync(itemsPath, 'utf8'));
const byId = new Map(items.map((item) => [String(item.id), item]));
const styleXml = fs.readFileSync(stylePath, 'utf8');
const sys = {
  retrieveItem: (id) => byId.get(String(id)),
  retrieveLocale: (lang) => {
    const file = path.join(localesDir, `locales-${lang}.xml`);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : false;
  },
};

function render(format) {
  const engine = new CSL.Engine(sys, styleXml, forcedLocale || undefined, !!forcedLocale);
  engine.setOutputFormat(format);
  engine.updateItems([...byId.keys()]);
  const [meta, entries] = engine.makeBibliography();
  const ids = meta.entry_ids.map((ids) => String(ids[0]));
  const out = {};
  ids.forEach((id, i) => { out[id] = entries[i]; });
  return { ids, out };
}

const text = render('text');
const html = render('html');
process.stdout.write(JSON.stringify({ order: text.ids, text: text.out, html: html.out }, null, 1) + '\n');
