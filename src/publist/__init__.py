"""publist: publication records to BibTeX, biblatex, RIS, CSL-JSON, styled bibliographies and CVs.

Readers turn files into CSL-JSON items; writers and renderers turn items into files::

    import publist
    collection = publist.read("seeds/hussenot-leonard.txt")
    publist.write(collection, "out/list.json", "csl-json")
"""

from typing import Any

from .api import (
    convert,
    convert_file,
    format_item,
    list_formats,
    read,
    render_bibliography,
    write,
)
from .errors import PublistError
from .model import Collection, KeyPolicy


def __getattr__(name: str) -> Any:
    """``__version__``, read from the installed metadata on first use (importlib.metadata
    costs a tenth of a second at start-up, which every command would pay)."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("publist")
    except PackageNotFoundError:  # running from a source tree
        found = "0.0.0"
    globals()["__version__"] = found
    return found


__all__ = [
    "Collection",
    "KeyPolicy",
    "PublistError",
    "convert",
    "convert_file",
    "format_item",
    "list_formats",
    "read",
    "render_bibliography",
    "write",
    "__version__",
]
