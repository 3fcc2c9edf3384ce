"""publist: publication records to BibTeX, biblatex, RIS, CSL-JSON, styled bibliographies and CVs.

Readers turn files into CSL-JSON items; writers and renderers turn items into files::

    import publist
    collection = publist.read("seeds/hussenot-leonard.txt")
    publist.write(collection, "out/list.json", "csl-json")
"""

from importlib.metadata import PackageNotFoundError, version

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

try:
    __version__ = version("publist")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"

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
