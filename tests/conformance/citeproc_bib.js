// citeproc_bib.js: one bibliography rendered by citeproc-js, shared by render_js.js (one
// style) and render_styles.js (several styles in one node run).
'use strict';
const fs = require('fs');
const path = require('path');
const CSL = require('citeproc');

// The sys object citeproc-js asks for items and locale files.
function system(items, localesDir) {
  const byId = new Map(items.map((item) => [String(item.id), item]));
  return {
    ids: [...byId.keys()],
    retrieveItem: (id) => byId.get(String(id)),
    retrieveLocale: (lang) => {
      const file = path.join(localesDir, `locales-${lang}.xml`);
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : false;
    },
  };
}

// {ids: [id in bibliography order], out: {id: entry}} for one style and output format.
function render(sys, styleXml, format, forcedLocale) {
  const engine = new CSL.Engine(sys, styleXml, forcedLocale || undefined, !!forcedLocale);
  engine.setOutputFormat(format);
  engine.updateItems(sys.ids);
  const [meta, entries] = engine.makeBibliography();
  const ids = meta.entry_ids.map((ids) => String(ids[0]));
  const out = {};
  ids.forEach((id, i) => { out[id] = entries[i]; });
  return { ids, out };
}

// {"order": [...], "text": {...}, "html": {...}} for one style.
function bibliography(sys, styleXml, forcedLocale) {
  const text = render(sys, styleXml, 'text', forcedLocale);
  const html = render(sys, styleXml, 'html', forcedLocale);
  return { order: text.ids, text: text.out, html: html.out };
}

module.exports = { system, bibliography };
