#!/usr/bin/env node
// render_styles.js ITEMS.json LOCALES_DIR STYLE.csl [STYLE.csl ...]
// One node run for several styles (the long-bibliography comparison): prints JSON
// {STYLE_FILE_STEM: {"order": [id, ...], "text": {id: entry}, "html": {id: entry}}, ...}
'use strict';
const fs = require('fs');
const path = require('path');
const CSL = require('citeproc');

const [itemsPath, localesDir, ...stylePaths] = process.argv.slice(2);
const items = JSON.parse(fs.readFileSync(itemsPath, 'utf8'));
const byId = new Map(items.map((item) => [String(item.id), item]));
const sys = {
  retrieveItem: (id) => byId.get(String(id)),
  retrieveLocale: (lang) => {
    const file = path.join(localesDir, `locales-${lang}.xml`);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : false;
  },
};

function render(styleXml, format) {
  const engine = new CSL.Engine(sys, styleXml);
  engine.setOutputFormat(format);
  engine.updateItems([...byId.keys()]);
  const [meta, entries] = engine.makeBibliography();
  const ids = meta.entry_ids.map((ids) => String(ids[0]));
  const out = {};
  ids.forEach((id, i) => { out[id] = entries[i]; });
  return { ids, out };
}

const result = {};
for (const stylePath of stylePaths) {
  const styleXml = fs.readFileSync(stylePath, 'utf8');
  const text = render(styleXml, 'text');
  const html = render(styleXml, 'html');
  result[path.basename(stylePath, '.csl')] = { order: text.ids, text: text.out, html: html.out };
}
process.stdout.write(JSON.stringify(result) + '\n');
