"""What ``publist complete`` prints: the diff (--dry-run), one line per failure, ambiguity and
(-v) refused candidate, and a summary; the exit status."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import click

from . import SOURCE_NAMES, Report, complete
from .decide import Outcome


def _where(report_input: str, outcome: Outcome) -> str:
    line = f":{outcome.line}" if outcome.line is not None else ""
    title = outcome.query.title
    short = title if len(title) <= 60 else title[:57] + "…"
    return f"{report_input}{line}: {short!r}"


def _print_outcomes(input: str, report: Report, verbose: bool) -> None:
    for outcome in report.outcomes:
        where = _where(input, outcome)
        for source, message in outcome.failures:
            click.echo(f"publist: error: {where}: {source}: {message}", err=True)
        for message in outcome.ambiguities:
            click.echo(f"publist: warning: {where}: ambiguous, nothing taken: {message}", err=True)
        if verbose:
            for candidate, verdict in outcome.refused:
                click.echo(
                    f"{where}: refused {candidate.source} {candidate.identifier} "
                    f"{candidate.title[:50]!r}: {verdict.reason}",
                    err=True,
                )
            if not outcome.findings and not outcome.failures and not outcome.ambiguities:
                click.echo(f"{where}: nothing found", err=True)
            _journal_ref_hint(where, outcome)


def _journal_ref_hint(where: str, outcome: Outcome) -> None:
    """arXiv's journal_ref is free text ("ICML 2024"): said, never written as a venue."""
    if outcome.has_published():
        return
    for candidate, _ in outcome.accepted:
        if candidate.journal_ref:
            click.echo(
                f"{where}: arXiv {candidate.identifier} says journal_ref "
                f"{candidate.journal_ref!r}, but no published record matched: none taken",
                err=True,
            )


@dataclass(frozen=True)
class CompleteRequest:
    """The options of ``publist complete``, as click gives them."""

    input: str
    from_: str | None
    meta: str | None
    sources: str
    dry_run: bool
    update: bool
    email: str | None
    offline: bool
    verbose: bool
    quiet: bool


def run_command(request: CompleteRequest) -> int:
    """Run ``publist complete``; the exit status."""
    input, dry_run = request.input, request.dry_run
    if input == "-":
        raise click.UsageError("complete reads a file, not stdin: its overlay is written beside it")
    names = tuple(s.strip() for s in request.sources.split(",") if s.strip())
    bad = [n for n in names if n not in SOURCE_NAMES]
    if bad:
        raise click.UsageError(f"unknown source {bad[0]!r} (known: {', '.join(SOURCE_NAMES)})")
    try:
        report = complete(
            input,
            request.from_,
            request.meta,
            names,
            dry_run,
            request.update,
            request.email,
            request.offline,
            progress=not request.quiet,
        )
    except KeyboardInterrupt:
        click.echo(
            "publist: interrupted: the overlay is untouched; answers received are cached",
            err=True,
        )
        return 130
    if dry_run and report.diff:
        sys.stdout.write(report.diff)
    _print_outcomes(input, report, request.verbose)
    fields = sum(len(v) for v in report.changed.values())
    action = "would add" if dry_run else "added"
    click.echo(
        f"publist: {action} {fields} value(s) to {len(report.changed)} of "
        f"{len(report.outcomes)} record(s) in {report.overlay}; "
        f"{report.requests} request(s), {report.cached} answer(s) from the cache",
        err=True,
    )
    failed = len(report.failed)
    if failed:
        click.echo(f"publist: error: {failed} record(s) could not be looked up in full", err=True)
        return 1
    return 0
