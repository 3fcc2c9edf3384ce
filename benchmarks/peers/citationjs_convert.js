#!/usr/bin/env node
// citationjs_convert.js IN OUT FORMAT: CSL-JSON -> bibtex|ris, or .bib -> data (CSL-JSON)
'use strict';
const fs = require('fs');
const { Cite } = require('@citation-js/core');
require('@citation-js/plugin-bibtex');
require('@citation-js/plugin-ris');
require('@citation-js/plugin-csl');
const [input, output, format] = process.argv.slice(2);
const text = fs.readFileSync(input, 'utf8');
const cite = new Cite(input.endsWith('.json') ? JSON.parse(text) : text);
const result = format === 'data' ? JSON.stringify(cite.data) : cite.format(format);
fs.writeFileSync(output, result);
