"""Dates (correction 13): a localized date joins its parts with the locale's delimiter.

CSL 1.0.2 "Localized Date Formats": the calling cs:date may only add affixes and formatting,
the locale's cs:date gives the delimiter (NLM: ``2008 Nov``, not ``2008Nov``).
Test: tests/test_render_fidelity.py "localized date delimiter".
"""

from __future__ import annotations

from typing import Any

from .state import ElementMixin


class LocaleDateDelimiter(ElementMixin):
    def render_single_date(self, date: Any, show_parts: Any = None, context: Any = None) -> Any:
        if context != self:
            parts = self.parts(date, show_parts, context)
        else:
            parts = self.parts(date, show_parts)
        if not parts:
            return None
        return self.join(parts)


def _differing_part(begin: Any, end: Any, show_parts: list[str]) -> str:
    """The largest date part a range's ends differ in (of those shown)."""
    for name in ("year", "month", "day"):
        if name in show_parts and getattr_or_none(begin, name) != getattr_or_none(end, name):
            return name
    return "day"


def getattr_or_none(date: Any, name: str) -> Any:
    try:
        return getattr(date, name)
    except Exception:  # citeproc-py's dates raise VariableError for a part they lack
        return None


def _shared_parts(begin: Any, end: Any, show_parts: list[str]) -> list[str]:
    """The parts both ends of a range share from the year down (printed once, after)."""
    shared: list[str] = []
    for name in ("year", "month", "day"):
        if name not in show_parts or getattr_or_none(begin, name) != getattr_or_none(end, name):
            break
        shared.append(name)
    return shared


class DateRangeDelimiter(ElementMixin):
    """Correction 29: a date range joins its ends with the ``range-delimiter`` of the largest
    date part they differ in (default an en dash), and what both ends share follows with the
    date's own delimiter (CSL 1.0.2 "Date-part": range-delimiter; citeproc-py always used an
    en dash and glued the shared part on: ``2–4January 1999``).
    Test: tests/test_render_fidelity_format.py "date range delimiter"."""

    def render_date_range(self, date_range: Any, show_parts: Any = None, context: Any = None):
        end = date_range.get("end")
        if end is None or end.is_nil():
            return super().render_date_range(date_range, show_parts, context)
        begin = date_range.begin
        shown = list(show_parts or ["year", "month", "day"])
        shared = _shared_parts(begin, end, shown)
        differing = [name for name in shown if name not in shared]
        first = self.render_single_date(begin, differing, context)
        last = self.render_single_date(end, differing, context)
        if not (first and last):
            return super().render_date_range(date_range, show_parts, context)
        delimiter = self._range_delimiter(_differing_part(begin, end, shown), context)
        text = first.rstrip() + delimiter + last
        if shared:
            same = self.render_single_date(end, shared, context)
            if same:
                text = self.join([text, same.rstrip()])
        return text

    def _range_delimiter(self, part: str, context: Any) -> str:
        for holder in (context, self):
            if holder is None:
                continue
            for child in holder.iterchildren():
                if child.get("name") == part and child.get("range-delimiter") is not None:
                    return str(child.get("range-delimiter"))
        return str(self.unicode_character("EN DASH"))


def _locales_of(element: Any) -> list[Any]:
    root = element.get_root()
    locales = getattr(root, "locales", None)
    if locales is None and getattr(root, "style", None) is not None:
        locales = root.style.locales  # a date-part of a locale's localized date
    return list(locales or [])


def _gendered_ordinal(element: Any, day: int, gender: str) -> str | None:
    """The ordinal suffix for ``day`` in ``gender`` (the month term's), if a locale has one."""
    names = [(f"ordinal-{day:02}" if day < 10 else f"ordinal-{day}", "")]
    names.append((f"ordinal-{day % 10:02}", " and not(@match='whole-number')"))
    for name, extra in names:
        for locale in _locales_of(element):
            terms = locale.find("cs:terms", locale.nsmap)
            if terms is None:
                continue
            found = terms.xpath_search(
                f"./cs:term[@name='{name}' and @gender-form='{gender}'{extra}]"
            )
            if found:
                return str(found[0].single)
    return None


def _month_gender(element: Any, month: int) -> str | None:
    for locale in _locales_of(element):
        terms = locale.find("cs:terms", locale.nsmap)
        if terms is None:
            continue
        found = terms.xpath_search(f"./cs:term[@name='month-{month:02}'][@gender]")
        if found:
            return str(found[0].get("gender"))
    return None


class DayOrdinalGender(ElementMixin):
    """Correction 30: a day's ordinal takes the gender of the month's term (CSL 1.0.2
    "Gender-specific Ordinals": ``1ᵉʳ octobre``, not the feminine ``1ʳᵉ``, which citeproc-py
    took for being listed first).  Test: tests/test_render_fidelity_format.py "day ordinal
    in the month's gender"."""

    def process(self, date: Any, context: Any = None) -> Any:
        text = super().process(date, context)
        if self.get("name") != "day" or self.get("form") != "ordinal":
            return text
        day = getattr_or_none(date, "day")
        month = getattr_or_none(date, "month")
        if not isinstance(day, int) or not isinstance(month, int) or str(text) == str(day):
            return text
        gender = _month_gender(self, month)
        suffix = _gendered_ordinal(self, day, gender) if gender else None
        return text if suffix is None else f"{day}{suffix}"
