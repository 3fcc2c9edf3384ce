"""Corrections around citeproc-py so that it prints what citeproc-js (Zotero's processor) prints.

Each correction is a mixin on one or more of citeproc-py's element classes, composed into
publist's own style (:class:`~.elements.PublistStyle`; the per-element list is
:data:`.elements.CORRECTIONS`), or, where citeproc-py gives no seam, one of the few
module-level wrappers of :mod:`.module_level`, inert outside publist's renderings.
A plain ``citeproc.CitationStylesStyle`` in the same process renders as citeproc-py ships.
Every correction has an A/B test that fails on citeproc-py as shipped
(tests/test_render_fidelity.py, run in a fresh interpreter by tests/raw_citeproc.py).

The table of corrections (module: where it lives; CSL 1.0.2 clause or citeproc-js behaviour in
its docstring):

====  ================================================  ==================  =================
 #    correction                                        module              element(s)
====  ================================================  ==================  =================
 1    capitalize-first/-all on lower-case words only    textcase            (module level)
 2    ``initialize="false"`` keeps given names          names               name
 3    hyphenated / capital-run initials                 names               name
 4    ``?.`` / ``!.`` lose the period                   punctuation         (module level)
 5    punctuation-in-quote                              punctuation         affixed, (module)
 6    left-margin / second-field-align apart            layout              layout
 7    cs:substitute suppresses what it printed          substitution        substitute, names
 8    inner quotes inside a quoted title                punctuation         text
 9    initials get their period (initialize=false)      names               name
 10   no period after markup ending in one              punctuation         (module level)
 11   no label for an absent variable                   labels              label
 12   sort-only particle demotion in sort keys          sorting             name
 13   localized date delimiter                          dates               date
 14   implicit year-suffix after the year               disambiguation      date
 15   title case as citeproc-js applies it              textcase            text, label, …
 16   page-range-format minimal / minimal-two           numbers             text, number
 17   subsequent-author-substitute                      layout              names, name, layout
 18   names added for disambiguation shown              disambiguation      name
 19   ``<if disambiguate>`` for ambiguous entries only  disambiguation      if, else-if
 20   no "and" / "et al." in name sort keys             sorting             name, key
 21   suffix periods follow initialize-with             names               name
 22   no delimiter before "and" between organisations   names               name
 23   sort keys compared as citeproc-js compares them   collation, sorting  sort, key, text
 24   no space after a particle's apostrophe / hyphen   names               name
 25   group suppressed when its variables are empty     groups              group, text, …
 26   ``display`` blocks at an entry's top level        display             group, text, …
 27   rich text flipped against the style's decoration  ../formatters       (HTML output)
 28   journalAbbreviation, note-field variables         variables           (record, before)
 29   date range-delimiter, shared parts delimited      dates               date
 30   day ordinal in the month term's gender            dates               date-part
 31   superscript characters as <sup> in HTML           ../formatters       (HTML output)
 32   explicit vertical-align="baseline" as a span      decorations         text, group, …
 33   issue/volume/number ranges with an en dash        numbers             text
 34   straight quotes in the locale's quote marks       render/__init__     (record, before)
 35   punctuation into quotes past a rich-text span     punctuation         (module), affixed
 36   leading space before an entry's first display     render/__init__     (HTML output)
 37   substitute macro with a date kept, date once      substitution        substitute, date
 38   citation-label made, its year suffix after it     variables           text (and record)
 39   name particles parsed, quoted family literal      particles           (input names)
 40   delimiter after an inverted name                  names               name
 41   no name label in sort keys                        labels              label
 42   shorthand cs:names in a substitute inherits       substitution        names
 43   et-al-min needs et-al-use-first; use-first 0      names               name
 44   names printed while substituting, printed once    substitution        substitute, names
 45   a family name alone and a literal alike           disambiguation      (year suffixes)
 46   CSL 1.0.2 and hyphenated name roles printed       roles               (input names)
 47   label term forms fall back (verb-short → verb)    labels              label
 48   initials inside a given name's markup             names               name
 49   no space before a CJK et-al term                  names               name
 50   label of number-of-pages / -volumes printed       labels              label
 51   an et-al term of white space is no term           sorting             name
 52   a name sort key cut as et-al cuts its names       longlists           key
 53   names added as citeproc-js widens a group         disambiguation      name
 54   disambiguation run as citeproc-js's modes run     widening            name, if, (data)
 55   given names written out as citeproc-js does       disambiguation      name
 60   a name's apostrophe closes no quote: ``d’,``      punctuation         (module), affixed
 61   letter after a leading straight ``"`` keeps case  ../formatters       (record, before)
 62   one-letter word in quotes not title-cased         textcase            text, label, …
 63   author substitute compares the names, not et al.  layout              name, names
====  ================================================  ==================  =================

Adding a correction: write a small mixin class in the module of its subject (or a new one),
its method calling ``super()``, reading per-rendering data from :func:`.state.state_of`
(add a field to :class:`.state.RenderState` if it needs one); list it for its CSL element in
:data:`.elements.CORRECTIONS` and in the table above; give it a case in
tests/test_render_fidelity.py (what citeproc-js prints, what raw citeproc-py prints), which
must fail without the correction.
"""

from __future__ import annotations

from .elements import CORRECTIONS, PublistStyle
from .layout import substitute_repeated_names
from .memo import CachedCitationItem
from .module_level import rendering
from .state import NameHooks, Rendered, RenderState

__all__ = [
    "CORRECTIONS",
    "CachedCitationItem",
    "NameHooks",
    "PublistStyle",
    "RenderState",
    "Rendered",
    "rendering",
    "substitute_repeated_names",
]
