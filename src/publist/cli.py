"""The `publist` command: a thin layer over :mod:`publist.api`."""

from __future__ import annotations

import functools
import os
import signal
import sys
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import click

from . import api, registry
from .errors import EntriesFailed, PublistError, UsageError, entry_count
from .model import Collection
from .output import STDOUT, discard_stdout, write_stdout_bytes


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


def _open_input(
    path: str, fmt: str | None, meta: str | None = None, no_meta: bool = False
) -> Collection:
    if meta and no_meta:
        raise click.UsageError("--meta and --no-meta exclude each other")
    if path == "-":
        if not fmt:
            raise click.UsageError("reading from stdin (-) needs the input format: -f FORMAT")
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None or stdin.closed:
            raise PublistError("cannot read: standard input is closed", "<stdin>")
        return api.read(stdin, fmt, meta=meta or False)
    return api.read(path, fmt, meta=False if no_meta else meta)


def _writer_flag(option: registry.Option, formats: list[str]) -> click.Option:
    help_text = f"{'/'.join(formats)}: {option.help}"
    if option.kind is bool:
        return click.Option([option.flag, option.name], is_flag=True, default=None, help=help_text)
    if option.kind is tuple:  # repeatable; left out when not given, like the other flags
        return click.Option(
            [option.flag, option.name],
            multiple=True,
            metavar=option.metavar,
            callback=lambda _ctx, _param, words: tuple(words) or None,
            help=help_text,
        )
    return click.Option(
        [option.flag, option.name],
        type=click.IntRange(min=option.minimum),
        default=None,
        metavar=option.metavar,
        help=help_text,
    )


class WriterOptionsCommand(click.Command):
    """A command with a flag for every writer option the formats declare (`--max-authors`,
    `--unicode`, …), made from the registry when the command runs, so a format registered
    later (a plugin, a test's toy format) brings its own flags.  A flag left out is not
    passed: each writer keeps its own default."""

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        params = super().get_params(ctx)
        taken = {param.name for param in params}
        flags: list[click.Parameter] = [
            _writer_flag(option, formats)
            for name, (option, formats) in sorted(registry.writer_options().items())
            if name not in taken
        ]
        help_option = self.get_help_option(ctx)
        if help_option is not None and params and params[-1] is help_option:
            return params[:-1] + flags + [help_option]
        return params + flags


def document_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """What `render` and `cv` share: --locale, -f, -o, -q, --skip-bad, the overlay options,
    error handling."""
    command = reports_errors(command)
    command = skip_bad_option(command)
    command = meta_options(command)
    for option in (
        click.option(
            "-q", "--quiet", is_flag=True, help="No progress line and no warnings on the terminal."
        ),
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


def _with_progress(collection: Collection, label: str, quiet: bool) -> Collection:
    """The same collection, items passing through a progress line (terminal only)."""
    from .progress import progress

    # converted on several cores, the raw records are counted
    return collection.passing_through(partial(progress, label=label, enabled=not quiet))


def skip_bad_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--skip-bad, for the commands that write what they read."""
    return click.option(
        "--skip-bad",
        is_flag=True,
        help="Write the entries that could be read when others cannot (each reported, exit 0); "
        "by default a file with an unreadable entry writes nothing (exit 1).",
    )(command)


def _exit_on_entry_errors(collection: Collection, skip_bad: bool = False) -> None:
    """Entries that failed: one line each, then the count; exit 1 with nothing written, or,
    with --skip-bad, reported as skipped (the rest was written)."""
    if not collection.errors:
        return
    if skip_bad:
        for err in collection.errors:
            click.echo(f"publist: warning: {err}", err=True)
        skipped = entry_count(len(collection.errors))
        click.echo(f"publist: warning: {skipped} skipped (--skip-bad)", err=True)
        return
    for err in collection.errors:
        click.echo(f"publist: error: {err}", err=True)
    click.echo(f"publist: error: {EntriesFailed(collection.errors).message}", err=True)
    sys.exit(1)


class Signalled(BaseException):
    """SIGTERM or SIGHUP arrived: unwind as for Ctrl-C (temporary file removed, workers
    stopped), then exit 128 + the signal's number."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _raise_signalled(signum: int, _frame: object) -> None:
    raise Signalled(signum)


class PublistGroup(click.Group):
    """The command group: signals and the faults no command should show as a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        previous = {}
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGHUP):
                previous[signum] = signal.signal(signum, _raise_signalled)
        try:
            return super().invoke(ctx)
        except Signalled as sig:
            sys.exit(128 + sig.signum)
        except KeyboardInterrupt:
            sys.exit(128 + signal.SIGINT)
        except BrokenPipeError:
            discard_stdout()
            sys.exit(128 + signal.SIGPIPE)
        except OSError as err:  # a fault nothing nearer reported (stdout of `check`, …)
            discard_stdout()
            where = err.filename if err.filename is not None else STDOUT
            _fail(f"{where}: {err.strerror or err}")
        finally:
            for signum, handler in previous.items():  # (in-process callers keep theirs)
                signal.signal(signum, handler)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    # (the version is read only when asked for: importlib.metadata is slow to import)
    if not value or ctx.resilient_parsing:
        return
    from . import __version__

    click.echo(f"publist, version {__version__}")
    ctx.exit()


@click.group(cls=PublistGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and exit.",
)
def main() -> None:
    """publist: publication records to BibTeX, biblatex, RIS, CSL-JSON and more.

    \b
    Examples:
      publist convert seeds/hussenot-leonard.txt -t csl-json -o out/list.json
      publist check seeds/hussenot-leonard.txt
      publist formats
    """


@main.command(cls=WriterOptionsCommand)
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
    "-q", "--quiet", is_flag=True, help="No progress line and no warnings on the terminal."
)
@meta_options
@skip_bad_option
@reports_errors
def convert(
    input: str,
    to: str,
    from_: str | None,
    output: str,
    quiet: bool,
    meta: str | None,
    no_meta: bool,
    skip_bad: bool,
    **writer_options: Any,
) -> None:
    """Convert INPUT (a file, or - for stdin) to another format.

    Records stream through, one at a time, in constant memory: every writer streams, and so
    does every reader (a CSL-JSON array in a file is read a piece at a time; on stdin, or as
    an object of items, it is read whole).  A large .bib or RIS file is read on every core,
    with the same output.
    Citation keys stay unique across the file by remembering only a fingerprint of each key.
    A large seed file or CSL-JSON array is converted on every core (PUBLIST_WORKERS=1: one
    process), with the same output; with a metadata overlay it is converted in one process.
    An entry that cannot be read means nothing is written (exit 1; --skip-bad writes the
    others); on stdout the output is held until the whole input is read.
    A .bib file is first scanned for crossref/xdata (a .bib on stdin is copied to a temporary
    file for that); one that has them is parsed twice and keeps the entries others inherit
    from in memory (nothing else).

    \b
    Examples:
      publist convert seeds/hussenot-leonard.txt -t bibtex -o out/list.bib
      publist convert refs.bib -t csl-json
      cat refs.ris | publist convert - -f ris -t bibtex --unicode
      publist convert list.txt --meta years.csv -t biblatex -o list.bib
    """
    options = {k: v for k, v in writer_options.items() if v is not None}
    registry.get(to)  # an unknown format is a usage error before any input is read
    collection = _with_progress(_open_input(input, from_, meta, no_meta), "converting", quiet)
    try:
        if output == "-":
            api.write_stdout(collection, to, skip_bad=skip_bad, **options)
        else:
            api.write(collection, output, to, skip_bad=skip_bad, **options)
    except EntriesFailed:
        pass  # (each error printed below)
    _print_warnings(collection.warnings, quiet)
    _exit_on_entry_errors(collection, skip_bad)


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
    if sys.stdout is None:  # (click would print the problems nowhere, silently)
        _fail(f"{STDOUT}: cannot write: standard output is closed")
    from .check import check as check_records
    from .names import name_from_text

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
    skip_bad: bool,
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
    records = items.to_list()
    collection = Collection(
        records,
        owner=items.owner,
        source=items.source,
        warnings=items.warnings,
        errors=items.errors,
    )
    if not api.refuses_output(collection, skip_bad):
        with status(f"rendering {len(records):,} entries in {style}", enabled=not quiet):
            document = api.render_bibliography(collection, style, fmt, locale)
        _emit(document, output)
    _print_warnings(collection.warnings, quiet)
    _exit_on_entry_errors(collection, skip_bad)


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
@click.option(
    "--selected",
    "selected_first",
    is_flag=True,
    help="A 'Selected publications' section first (the overlay's `selected: true`), "
    "then the rest without repeats.",
)
@click.option(
    "--section-title",
    "section_titles",
    multiple=True,
    metavar="KEY=TITLE",
    help="Rename a section (repeatable): KEY is a CSL type or preprint, journal, conference, "
    "selected, other, undated.",
)
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
    selected_first: bool,
    section_titles: tuple[str, ...],
    locale: str | None,
    from_: str | None,
    output: str,
    quiet: bool,
    meta: str | None,
    no_meta: bool,
    skip_bad: bool,
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
      publist cv seeds/hussenot-leonard.txt --selected --group-by type --section-title thesis=Theses
    """
    from .names import name_from_text
    from .progress import status
    from .render.cv import CVOptions, render_cv

    collection = _open_input(input, from_, meta, no_meta)
    owner_names = [name_from_text(o) for o in owners] or None
    with status("building the publication list", enabled=not quiet):
        chosen = CVOptions(
            owners=tuple(owner_names or ()),
            style=style,
            format=fmt,
            group_by=group_by,
            max_authors=max_authors,
            numbered=numbers,
            abstracts=abstracts,
            locale=locale,
            selected_first=selected_first,
            section_titles=_key_values(section_titles, "--section-title"),
        )
        document = render_cv(collection, chosen=chosen)
    if not api.refuses_output(collection, skip_bad):
        _emit(document, output)
    _print_warnings(collection.warnings, quiet)
    _exit_on_entry_errors(collection, skip_bad)


def _key_values(pairs: tuple[str, ...], option: str) -> dict[str, str]:
    values = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key.strip() or not value.strip():
            raise click.UsageError(f"{option} takes KEY=VALUE, not {pair!r}")
        values[key.strip()] = value.strip()
    return values


@main.command()
@click.argument("input", metavar="INPUT")
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="FOLDER",
    help="Where the publication folders go (a Hugo site's content/publications).",
)
@click.option(
    "--owner",
    "owners",
    multiple=True,
    metavar="'Family, Given'",
    help="Whose site it is (repeatable); default: the seed's first line.",
)
@click.option(
    "--owner-id",
    default="me",
    show_default=True,
    help="The site owner's Hugo user id, written for the owner in `authors` "
    "(`admin` in sites made before 2025).",
)
@click.option(
    "-f", "--from", "from_", metavar="FORMAT", help="Input format (default: by extension)."
)
@meta_options
@skip_bad_option
@reports_errors
def hugo(
    input: str,
    output: str,
    owners: tuple[str, ...],
    owner_id: str,
    from_: str | None,
    meta: str | None,
    no_meta: bool,
    skip_bad: bool,
) -> None:
    """Hugo Blox publication pages: FOLDER/KEY/index.md and cite.bib per record.

    \b
    Example:
      publist hugo seeds/hussenot-leonard.txt -o mysite/content/publications
    """
    from .names import name_from_text

    items = _open_input(input, from_, meta, no_meta)
    owner_names = [name_from_text(o) for o in owners] or None
    records = items.to_list()  # (every entry read before any folder is written)
    if not api.refuses_output(items, skip_bad):
        collection = Collection(records, owner=items.owner, source=items.source)
        count = api.write_hugo_site(collection, output, owner_names, owner_id)
        click.echo(f"publist: {count} publication folder(s) written under {output}", err=True)
    _print_warnings(items.warnings)
    _exit_on_entry_errors(items, skip_bad)


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
        write_stdout_bytes(text.encode("utf-8"))
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


@main.command()
@click.argument("input", metavar="INPUT")
@click.option(
    "-f", "--from", "from_", metavar="FORMAT", help="Input format (default: by extension)."
)
@click.option(
    "--meta",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="The overlay to complete (default: NAME.meta.yaml beside INPUT).",
)
@click.option(
    "--sources",
    default="arxiv,crossref,dblp,openalex",
    show_default=True,
    metavar="LIST",
    help="Services to ask, comma-separated.",
)
@click.option("--dry-run", is_flag=True, help="Print the changes as a diff; write nothing.")
@click.option("--update", is_flag=True, help="Replace values already in the overlay or INPUT.")
@click.option(
    "--email",
    envvar="PUBLIST_EMAIL",
    metavar="ADDRESS",
    help="Your e-mail, sent in the User-Agent (Crossref's and OpenAlex's polite pools).",
)
@click.option("--offline", is_flag=True, help="Answer from the cache only; no request.")
@click.option("-v", "--verbose", is_flag=True, help="Also list every refused candidate and why.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@reports_errors
def complete(**options: Any) -> None:
    """Look every record of INPUT up in arXiv, Crossref, dblp and OpenAlex and write the years,
    venues, DOIs and arXiv ids found into its overlay, each with its source and match score.

    \b
    Examples:
      publist complete seeds/hussenot-leonard.txt --dry-run -v
      publist complete refs.bib --meta refs.meta.yaml --email me@example.org
    """
    from .complete.cli import CompleteRequest, run_command

    sys.exit(run_command(CompleteRequest(**options)))


def run() -> None:
    """The `publist` command: `main`, then an exit that skips Python's teardown.

    Freeing every module and object at exit costs 50–70 ms, a tenth of rendering a short list;
    the outputs are complete and closed by the time `main` returns, so only the standard streams
    still need flushing.
    """
    try:
        main()
        code = 0
    except SystemExit as done:
        if isinstance(done.code, str):
            if sys.stderr is not None:  # (print to None would print to stdout)
                print(done.code, file=sys.stderr)
            code = 1
        else:
            code = done.code or 0
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # (started with the descriptor closed)
            continue
        try:
            stream.flush()
        except BrokenPipeError:
            code = 128 + signal.SIGPIPE
        except (OSError, ValueError):  # (closed by the caller, or a full disk reported already)
            code = code or 1
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
