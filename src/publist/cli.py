"""The `publist` command: a thin layer over :mod:`publist.api`."""

from __future__ import annotations

import functools
import io
import sys
from collections.abc import Callable
from typing import Any

import click

from . import __version__, api, registry
from .check import check as check_records
from .errors import PublistError, UsageError
from .meta import apply as apply_overlay
from .meta import load as load_overlay
from .names import name_from_text


def _fail(message: str) -> None:
    click.echo(f"publist: error: {message}", err=True)
    sys.exit(1)


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Bad input: one line on stderr, exit 1.  A request that does not fit: exit 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except UsageError as err:
            raise click.UsageError(str(err)) from None
        except PublistError as err:
            _fail(str(err))

    return wrapper


def _format_names() -> list[str]:
    return [f.name for f in registry.all_formats()]


def _open_input(path: str, fmt: str | None, meta: str | None = None, no_meta: bool = False):
    if meta and no_meta:
        raise click.UsageError("--meta and --no-meta exclude each other")
    if path == "-":
        if not fmt:
            raise click.UsageError("reading from stdin (-) needs the input format: -f FORMAT")
        collection = registry.get(fmt).read(sys.stdin.buffer, "<stdin>")
        if meta:
            collection = apply_overlay(collection, load_overlay(meta))
        return collection
    return api.read(path, fmt, meta=False if no_meta else meta)


def document_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """What `render` and `cv` share: --locale, -f, -o, -q, the overlay options, error handling."""
    command = reports_errors(command)
    command = meta_options(command)
    for option in (
        click.option("-q", "--quiet", is_flag=True, help="No progress line on the terminal."),
        click.option(
            "-o", "--output", default="-", metavar="FILE", help="Output file; default stdout."
        ),
        click.option(
            "-f", "--from", "from_", metavar="FORMAT", help="Input format (default: by extension)."
        ),
        click.option(
            "--locale", metavar="LOCALE", help="Locale, e.g. en-GB, de-DE (default: the style's)."
        ),
    ):
        command = option(command)
    return command


def meta_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--meta FILE / --no-meta, shared by every command that reads records."""
    command = click.option(
        "--no-meta",
        is_flag=True,
        help="Do not pick up INPUT's sidecar overlay (NAME.meta.yaml/.csv beside NAME.EXT).",
    )(command)
    return click.option(
        "--meta",
        metavar="FILE",
        type=click.Path(dir_okay=False),
        help="Metadata overlay (YAML or CSV) adding years, venues, DOIs, arXiv ids… per record.",
    )(command)


def _print_warnings(warnings: list[str], quiet: bool = False) -> None:
    if not quiet:
        for warning in warnings:
            click.echo(f"publist: warning: {warning}", err=True)


def _with_progress(collection, label: str, quiet: bool):
    """The same collection, items passing through a progress line (terminal only)."""
    from .progress import progress

    collection._items = progress(iter(collection._items), label, enabled=not quiet)
    if collection.records is not None:  # converted on several cores: count the raw records
        collection.records.raw = progress(collection.records.raw, label, enabled=not quiet)
    return collection


def _exit_on_entry_errors(collection) -> None:
    """Entries that failed (the rest converted): one line each, then the count; exit 1."""
    if collection.errors:
        for err in collection.errors:
            click.echo(f"publist: error: {err}", err=True)
        n = len(collection.errors)
        click.echo(
            f"publist: error: {n} entr{'y' if n == 1 else 'ies'} could not be read", err=True
        )
        sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="publist")
def main() -> None:
    """publist: publication records to BibTeX, biblatex, RIS, CSL-JSON and more.

    \b
    Examples:
      publist convert seeds/hussenot-leonard.txt -t csl-json -o out/list.json
      publist check seeds/hussenot-leonard.txt
      publist formats
    """


@main.command()
@click.argument("input", metavar="INPUT")
@click.option(
    "-t",
    "--to",
    "to",
    required=True,
    metavar="FORMAT",
    help="Output format (see `publist formats`).",
)
@click.option(
    "-f",
    "--from",
    "from_",
    metavar="FORMAT",
    help="Input format; by default from INPUT's extension. Required for stdin.",
)
@click.option(
    "-o",
    "--output",
    default="-",
    metavar="FILE",
    help="Output file (written atomically); default or - : stdout.",
)
@click.option(
    "--max-authors",
    type=click.IntRange(min=1),
    default=None,
    help="BibTeX/biblatex: write the first N authors and `and others`.",
)
@click.option(
    "--unicode",
    is_flag=True,
    default=None,
    help="BibTeX: keep UTF-8 instead of LaTeX commands for accented letters.",
)
@click.option(
    "--extended-names",
    is_flag=True,
    default=None,
    help="biblatex: write names as family=…, given=…, prefix=…, useprefix=… .",
)
@click.option(
    "--protect-words",
    "protect_words",
    multiple=True,
    metavar="WORD",
    callback=lambda _ctx, _param, words: tuple(words) or None,
    help="BibTeX/biblatex: brace WORD in every title (repeatable), e.g. a proper noun "
    "of title-cased titles: --protect-words Gemini.",
)
@click.option("-q", "--quiet", is_flag=True, help="Do not print warnings.")
@meta_options
@reports_errors
def convert(
    input: str,
    to: str,
    from_: str | None,
    output: str,
    quiet: bool,
    meta: str | None,
    no_meta: bool,
    **writer_options: Any,
) -> None:
    """Convert INPUT (a file, or - for stdin) to another format.

    Records stream through, one at a time, in constant memory: every writer streams, and so
    does every reader but CSL-JSON's (a JSON array is read whole; CSL-JSON Lines streams).
    Citation keys stay unique across the file by remembering only a fingerprint of each key.
    A large seed file is converted on every core (PUBLIST_WORKERS=1: one process), with the
    same output; with a metadata overlay it is converted in one process.

    \b
    Examples:
      publist convert seeds/hussenot-leonard.txt -t bibtex -o out/list.bib
      publist convert refs.bib -t csl-json
      cat refs.ris | publist convert - -f ris -t bibtex --unicode
      publist convert list.txt --meta years.csv -t biblatex -o list.bib
    """
    options = {k: v for k, v in writer_options.items() if v is not None}
    fmt = registry.get(to)
    collection = _with_progress(_open_input(input, from_, meta, no_meta), "converting", quiet)
    if output == "-":
        # newline="": the writer decides line ends (RIS wants CRLF on every platform)
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
        try:
            fmt.write(collection, out, **options)
        finally:
            out.flush()
            out.detach()
    else:
        api.write(collection, output, to, **options)
    _print_warnings(collection.warnings, quiet)
    _exit_on_entry_errors(collection)


@main.command()
@click.argument("input", metavar="INPUT")
@click.option(
    "-f", "--from", "from_", metavar="FORMAT", help="Input format (default: by extension)."
)
@click.option(
    "--owner",
    "owners",
    multiple=True,
    metavar="'Family, Given'",
    help="Owner of the list (repeatable); default: the seed's first line.",
)
@meta_options
def check(
    input: str, from_: str | None, owners: tuple[str, ...], meta: str | None, no_meta: bool
) -> None:
    """List problems in INPUT, one per line: FILE:LINE: warning|error: message.

    Split persons, names repeated within a record, the owner missing from a record, missing
    years, suspicious capitals.  Exit 0 when there are only warnings, 1 when INPUT cannot be read.

    \b
    Example:
      publist check seeds/hussenot-leonard.txt --owner "Hussenot, Léonard"
    """
    try:
        collection = _open_input(input, from_, meta, no_meta)
        owner_names = [name_from_text(o) for o in owners] or None
        for problem in check_records(collection, owner_names):
            click.echo(str(problem))
    except UsageError as err:
        raise click.UsageError(str(err)) from None
    except PublistError as err:
        where = err.source or input
        line = f":{err.line}" if err.line is not None else ""
        click.echo(f"{where}{line}: error: {err.message}")
        sys.exit(1)


@main.command()
@click.argument("input", metavar="INPUT")
@click.option(
    "-s",
    "--style",
    required=True,
    metavar="STYLE",
    help="CSL style: a name (apa, ieee, vancouver, …), or a .csl file.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "html", "markdown", "latex", "rst"]),
    default="text",
    show_default=True,
    help="Output markup.",
)
@document_options
def render(
    input: str,
    style: str,
    fmt: str,
    locale: str | None,
    from_: str | None,
    output: str,
    quiet: bool,
    meta: str | None,
    no_meta: bool,
) -> None:
    """Print a styled bibliography of INPUT in any CSL style.

    Reads every record first (a bibliography is sorted as a whole).  Text: one entry per line;
    html: a csl-bib-body div with one csl-entry div per entry, as citeproc-js writes it.

    \b
    Examples:
      publist render seeds/hussenot-leonard.txt -s apa
      publist render refs.bib -s ieee --format html -o refs.html
      publist render refs.json -s chicago-author-date --locale en-GB --format markdown
    """
    from .progress import status

    items = _open_input(input, from_, meta, no_meta)
    collection = api.Collection(items.to_list(), owner=items.owner, source=items.source)
    collection.errors = items.errors
    with status(f"rendering {len(collection._items):,} entries in {style}", enabled=not quiet):
        document = api.render_bibliography(collection, style, fmt, locale)
    _emit(document, output)
    _exit_on_entry_errors(collection)


@main.command()
@click.argument("input", metavar="INPUT")
@click.option(
    "--owner",
    "owners",
    multiple=True,
    metavar="'Family, Given'",
    help="Whose list it is (repeatable: name variants, a lab's members); "
    "default: the seed's first line.",
)
@click.option(
    "-s",
    "--style",
    default="apa",
    show_default=True,
    metavar="STYLE",
    help="CSL style for the citations.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "html", "latex", "text"]),
    default="markdown",
    show_default=True,
    help="markdown; html: a standalone page; latex: a fragment; text.",
)
@click.option(
    "--group-by", type=click.Choice(["year", "type", "none"]), default="year", show_default=True
)
@click.option(
    "--max-authors",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="Longer author lists show the first, the owner and the last (0: all).",
)
@click.option(
    "--numbers/--no-numbers", default=True, show_default=True, help="Number entries, counting down."
)
@click.option("--abstracts/--no-abstracts", default=True, show_default=True)
@document_options
def cv(
    input: str,
    owners: tuple[str, ...],
    style: str,
    fmt: str,
    group_by: str,
    max_authors: int,
    numbers: bool,
    abstracts: bool,
    locale: str | None,
    from_: str | None,
    output: str,
    quiet: bool,
    meta: str | None,
    no_meta: bool,
) -> None:
    """A CV / website publication list of INPUT: the owner in bold, newest first.

    Grouped by year (Undated last), numbered downwards; an author list longer than
    --max-authors shows the first authors, the owner in place and the last author, with the
    count. Reads every record first.

    \b
    Examples:
      publist cv seeds/hussenot-leonard.txt --format markdown
      publist cv seeds/hussenot-leonard.txt --format html -o publications.html
      publist cv refs.bib --owner "Müller, Jürgen" --owner "Mueller, J." -s ieee --format latex
    """
    from .progress import status
    from .render.cv import render_cv

    collection = _open_input(input, from_, meta, no_meta)
    owner_names = [name_from_text(o) for o in owners] or None
    with status("building the publication list", enabled=not quiet):
        document = render_cv(
            collection, owner_names, style, fmt, group_by, max_authors, numbers, abstracts, locale
        )
    _emit(document, output)
    _exit_on_entry_errors(collection)


@main.command()
@click.argument("query", required=False, default="")
def styles(query: str) -> None:
    """List CSL styles (name and title) whose name or title contains QUERY.

    \b
    Examples:
      publist styles chicago
      publist styles "Vancouver"
    """
    from .render import list_styles

    for name, title in list_styles(query):
        click.echo(f"{name}\t{title}")


def _emit(text: str, output: str) -> None:
    if output == "-":
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
    else:
        with api.atomic_output(output) as out:
            out.write(text)


@main.command("formats")
def formats_command() -> None:
    """List the formats publist reads and writes (and which readers load a whole file).

    \b
    Example:
      publist formats
    """
    for fmt in registry.all_formats():
        modes = ("r" if fmt.reader else "-") + ("w" if fmt.writer else "-")
        exts = " ".join(fmt.extensions)
        loads = (
            "  [reading loads the whole file]" if fmt.reader and not fmt.streaming_reader else ""
        )
        click.echo(f"{fmt.name:<10} {modes}  {exts:<14} {fmt.description}{loads}")


if __name__ == "__main__":  # pragma: no cover
    main()
