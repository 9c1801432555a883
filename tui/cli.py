"""The `mlsd` command. User errors become one line on stderr and exit code 2."""
from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from mlsd.core.files import write_atomic
from mlsd.core.printable import printable
from mlsd.core.status import Status
from mlsd.interviewer.drill import DRILL_MINUTES, drill_categories
from mlsd.llm.errors import EndpointError
from mlsd.prompts.case import Case
from mlsd.prompts.loader import CaseFileError
from mlsd.prompts.personas import PersonaFileError
from mlsd.rubric.calibration import CalibrationError, calibrate, render_text
from mlsd.rubric.model import RubricError, load_rubric
from mlsd.rubric.report import FORMATS, MARK, ReportInput, about, render_report, scorer_name
from mlsd.rubric.score import ScoreReport
from mlsd.sessions.history import HistoryEntry
from mlsd.sessions.service import Service, SessionError, load_catalog
from mlsd.sessions.settings import Settings, SettingsError, load_settings
from mlsd.sessions.store import StoreError
from mlsd.sessions.transcript_json import to_json
from mlsd.sessions.transcript_text import TranscriptError, format_text
from mlsd.tui.compare_text import comparison_text

if TYPE_CHECKING:
    from mlsd.tui.app import Start


class UsageError(Exception):
    pass


USER_ERRORS = (CaseFileError, RubricError, TranscriptError, StoreError, SettingsError, SessionError, UsageError,
               EndpointError, CalibrationError, PersonaFileError)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="mlsd", description="Mock ML system design interviews in your terminal.")
    sub = p.add_subparsers(dest="command")
    pr = sub.add_parser("practice", help="start (or resume) a timed practice interview")
    pr.add_argument("--case", help="case id (see `mlsd cases`)")
    pr.add_argument("--minutes", type=float, help="session length in minutes (default 45)")
    pr.add_argument("--backend", choices=["offline", "openai"])
    pr.add_argument("--model")
    pr.add_argument("--plain", action="store_true", help="a plain line-by-line dialogue")
    pr.add_argument("--resume", nargs="?", const="latest", metavar="SESSION", help="continue an unfinished session")
    pr.add_argument("--seed", type=int, default=None, help="fix the interviewer's choice of words")
    pr.add_argument("--focus", metavar="CATEGORY",
                    help=f"a short drill ({DRILL_MINUTES} minutes unless --minutes) on one rubric category: "
                         + ", ".join(drill_categories(load_rubric())))
    sub.add_parser("cases", help="list the cases")
    cf = sub.add_parser("config", help="where the settings, cases and database live")
    cf.add_argument("what", choices=["path"], nargs="?", default="path")
    sc = sub.add_parser("score", help="score a transcript file or a stored session")
    sc.add_argument("target", metavar="FILE|SESSION")
    sc.add_argument("--scorer", choices=["offline", "llm"], default="offline")
    sc.add_argument("--case", help="score against this case (default: the transcript's `case:` header)")
    sc.add_argument("--json", action="store_true", help="print the Score JSON")
    sc.add_argument("--samples", type=int, metavar="K",
                    help="ask the LLM judge K times and keep the median (default 3)")
    rp = sub.add_parser("report", help="a session's score report")
    rp.add_argument("session")
    rp.add_argument("--format", choices=FORMATS, default="md")
    rp.add_argument("-o", "--output", type=Path)
    rp.add_argument("--samples", type=int, metavar="K", help="with an LLM endpoint: judge samples (default 3)")
    hi = sub.add_parser("history", help="past sessions with scores, levels and progress")
    hi.add_argument("--json", action="store_true", help="print the sessions, trends and suggestion as JSON")
    co = sub.add_parser("compare", help="two attempts side by side")
    co.add_argument("a", metavar="A", help="session id (the earlier attempt)")
    co.add_argument("b", metavar="B", help="session id (the later attempt)")
    co.add_argument("--json", action="store_true", help="print the comparison as JSON")
    ex = sub.add_parser("export", help="write a session as a transcript (text) or JSON")
    ex.add_argument("session")
    ex.add_argument("-o", "--output", type=Path)
    ex.add_argument("--format", choices=["text", "json"])
    im = sub.add_parser("import", help="import a transcript (text) or a JSON export as a session")
    im.add_argument("file", type=Path)
    rl = sub.add_parser("replay", help="show a saved session's transcript")
    rl.add_argument("session")
    ca = sub.add_parser("calibrate", help="agreement of a scorer with DIR/labels.json (Spearman, error, level gaps)")
    ca.add_argument("folder", metavar="DIR", type=Path)
    ca.add_argument("--scorer", choices=["offline", "llm"], default="offline")
    ca.add_argument("--json", action="store_true", help="print the figures as JSON")
    ca.add_argument("--samples", type=int, metavar="K", help="with --scorer llm: judge samples (default 3)")
    si = sub.add_parser("simulate", help="scripted candidates play whole sessions against the interviewer, measured")
    si.add_argument("--case", required=True, help="case id (see `mlsd cases`), or all")
    si.add_argument("--persona", default="all", help="persona id (strong, weak, stuffed, silent, rambling, off-topic, "
                                                     "no-fallback, clarifier), all (the default), or a persona file "
                                                     "(.toml)")
    si.add_argument("--personas", metavar="DIR", type=Path,
                    help="play the personas in this folder's *.toml files instead of the built-in ones")
    si.add_argument("--runs", type=int, default=1, help="sessions per case and persona (default 1)")
    si.add_argument("--seed", type=int, default=0, help="seed of the first run; run n uses seed + n - 1")
    si.add_argument("--minutes", type=float, help="session length (default 45)")
    si.add_argument("--backend", choices=["offline", "openai"])
    si.add_argument("--model")
    si.add_argument("--json", action="store_true", help="print every run and the totals as JSON")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    stdout = sys.stdout
    sys.stdout = _Output(stdout)
    try:
        code = run(args)
        sys.stdout.flush()  # here, not at exit, so that a failed write is said in one line
        return code
    except USER_ERRORS as exc:
        print(f"mlsd: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _drop(stdout)
        return 0
    except OutputError as exc:
        print(f"mlsd: {exc}", file=sys.stderr)
        _drop(stdout)
        return 2
    finally:
        sys.stdout = stdout


class OutputError(Exception):
    """Standard output cannot be written (a full disk, /dev/full)."""


class _Output:
    """Standard output whose failures are told apart from any other OSError."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._guard(lambda: self._stream.write(text))

    def flush(self) -> None:
        self._guard(self._stream.flush)

    @staticmethod
    def _guard(fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _drop(stream: TextIO) -> None:
    # What is still buffered would fail again at exit, as a second message: send it nowhere.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, stream.fileno())
    os.close(devnull)


def run(args: argparse.Namespace) -> int:
    flags = {k: getattr(args, k, None) for k in ("backend", "model", "minutes", "samples")}
    settings = load_settings(flags)
    cmd = args.command or "home"
    if cmd == "config":
        return cmd_config(settings)
    return COMMANDS[cmd](args, service(settings))


# ---------------------------------------------------------------------- helpers
def service(settings: Settings) -> Service:
    catalog = load_catalog(settings)
    for err in catalog.errors:
        print(f"mlsd: skipped {err}", file=sys.stderr)
    return Service(settings, catalog)


def write_out(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        write_atomic(output, text)
    except OSError as exc:
        raise UsageError(f"{output}: cannot write: {exc.strerror or exc}") from None
    print(f"wrote {output}", file=sys.stderr)


def summary(service: Service, report: ScoreReport, title: str) -> str:
    rubric = service.rubric
    names = {c.id: c.name for c in rubric.criteria}
    lines = [f"{printable(title)}: {report.overall:.0f}/100 from the {scorer_name(report)}", ""]
    for cat in rubric.categories:
        cs = report.categories.get(cat.id)
        if cs is None:  # a drill is scored on its own category only
            continue
        filled = round(cs.score / 10)
        lines.append(f"  {cat.name:<18} {cs.weight:>3}%  {'█' * filled}{'░' * (10 - filled)} {cs.score:>5.0f}")
        for c in cs.criteria:
            tag = " (after a probe)" if c.prompted else ""
            lines.append(f"      {MARK[c.status]} {names[c.id]}{tag}")
    lines.append("")
    legend = {Status.MET: "met", Status.PARTIAL: "partly met", Status.MISSED: "missed", Status.NA: "not applicable"}
    lines.append("  ".join(f"{MARK[s]} {text}" for s, text in legend.items()))
    if report.level:
        lines += ["", f"Level estimate: {report.level.estimate}"] + [f"  · {r}" for r in report.level.reasons]
    lines += ["", textwrap.fill(about(report, rubric), width=100)]
    return "\n".join(lines) + "\n"


def headline_notes(data: ReportInput) -> str:
    """Under a score: the checklist beside the judge and how far they agree, or why no judge."""
    lines = [f"Beside it: {o.overall:.0f}/100 from the {scorer_name(o)}" for o in data.others or []]
    if data.agreement is not None:
        lines.append(data.agreement.summary[0].upper() + data.agreement.summary[1:])
    if data.judge_note:
        lines.append(data.judge_note[0].upper() + data.judge_note[1:])
    return "".join(line + "\n" for line in lines)


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def run_app(service: Service, start: Start) -> int:
    from mlsd.tui.app import MlsdApp  # Textual loads only when the app opens

    app = MlsdApp(service, start)
    app.run()
    return app.return_code or 0


# ---------------------------------------------------------------------- commands
def cmd_config(settings: Settings) -> int:
    print(f"config file: {settings.config_file}")
    print(f"data dir:    {settings.data_dir} (database mlsd.db, your cases in cases/)")
    return 0


def cmd_home(args: argparse.Namespace, service: Service) -> int:
    if interactive():
        from mlsd.tui.app import Start

        service.check_endpoint()
        return run_app(service, Start("home"))
    cmd_cases(args, service)
    print()
    cmd_history(args, service)
    print("\nStart a session: mlsd practice [--case ID] [--minutes N]    Help: mlsd --help")
    return 0


def cmd_cases(args: argparse.Namespace, service: Service) -> int:
    print(f"{'ID':<18} {'TITLE':<36} SOURCE")
    for case in service.catalog.cases:
        mark = " (yours)" if case.user else ""
        print(printable(f"{case.id:<18} {case.title[:36]:<36} {case.source}{mark}"))
    return 0


def cmd_practice(args: argparse.Namespace, service: Service) -> int:
    focus = args.focus
    plan = service.practice_plan(focus, args.minutes)  # an unknown focus is said before anything else
    store = service.store()
    service.check_endpoint()
    row = None
    if args.resume:
        row, _ = service.resumable(store, args.resume, focus)
    elif args.case:
        service.case(args.case)
    store.close()
    if not args.plain and interactive():
        from mlsd.tui.app import Start

        if row is not None:
            return run_app(service, Start("resume", session_id=row.id))
        if args.case or focus:
            start = Start("practice", case_id=args.case or service.catalog.cases[0].id, seed=args.seed, focus=focus,
                          minutes=plan.minutes)
        else:
            start = Start("home")
        return run_app(service, start)
    if row is not None:
        session = service.resume(row.id, service.clock_factory(row.elapsed))
    else:
        case_id = args.case or choose_case(service).id
        session = service.start(case_id, service.clock_factory(0), seed=args.seed, focus=focus, minutes=plan.minutes)
    from mlsd.tui.plain import HELP, NOT_KEPT, PlainDialogue

    settings, case = service.settings, session.case
    drill = session.plan.focus
    kind = f"{service.rubric.category(drill).name} drill on " if drill else ""
    print(printable(f"mlsd practice: {kind}{case.title} ({case.id}), {session.plan.minutes:g} minutes, "
                    f"session {session.id}"))
    print(f"Interviewer: {session.interviewer.label}"
          + (f" ({settings.backend_reason})" if settings.backend_reason else ""))
    print(HELP)
    code = PlainDialogue(session).run()
    if session.score is not None:
        judge = service.judge()
        if judge is not None:
            print(f"\nAsking the LLM judge ({judge.endpoint.label}, {judge.settings.samples} samples)...")
        result = service.report(session.store, session.id)
        print()
        print(summary(service, result.data.report, kind + case.title), end="")
        print(headline_notes(result.data), end="")
        print(f"\nFull report: mlsd report {session.id}    Transcript: mlsd replay {session.id}")
    elif session.discarded and code == 0:
        print(f"\n{NOT_KEPT}")
    session.store.close()
    return code


def choose_case(service: Service) -> Case:
    cases = service.catalog.cases
    if not cases:
        raise UsageError("no cases found")
    if not sys.stdin.isatty():
        return cases[0]
    for n, case in enumerate(cases, start=1):
        print(f"  {n}. {case.title}: {case.summary}")
    while True:
        raw = input(f"Pick a case [1-{len(cases)}, Enter for 1]: ").strip() or "1"
        if raw.isdigit() and 1 <= int(raw) <= len(cases):
            return cases[int(raw) - 1]
        chosen = service.catalog.get(raw)
        if chosen is not None:
            return chosen


def cmd_score(args: argparse.Namespace, service: Service) -> int:
    if args.scorer == "llm":
        service.judge_endpoint()  # no endpoint is said before anything is read
    transcript, session_id = service.transcript_of(args.target)
    case_id = args.case or transcript.case_id
    case = service.case(args.case) if args.case else service.case_for(case_id) if case_id else None
    if case is None:
        what = f"unknown case {case_id!r}" if case_id else "no case header"
        print(f"mlsd: {what}: scoring with the generic rubric, applicability read from the transcript",
              file=sys.stderr)
    report = service.score(transcript, case, args.scorer, args.target)
    if session_id is not None:
        store = service.store()
        if store.session(session_id).status != "active":  # an unfinished session's score is not kept
            store.save_score(session_id, report)
        store.close()
    if args.json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(summary(service, report, case.title if case else (case_id or "transcript")))
    return 0


def cmd_calibrate(args: argparse.Namespace, service: Service) -> int:
    if args.scorer == "llm":
        service.judge_endpoint()  # no endpoint is said before anything is scored

    def score(path: Path) -> ScoreReport:
        transcript, _ = service.transcript_of(str(path))
        return service.score(transcript, service.case_for(transcript.case_id or ""), args.scorer, str(path))

    def skipped(stems: Iterable[str]) -> None:
        print(f"mlsd: no label for {', '.join(stems)}: not scored", file=sys.stderr)

    result = calibrate(args.folder, score, args.scorer, skipped)
    sys.stdout.write(result.model_dump_json(indent=2) + "\n" if args.json else render_text(result, args.folder))
    return 0


def cmd_report(args: argparse.Namespace, service: Service) -> int:
    result = service.report(service.store(), args.session)
    write_out(render_report(result.data, args.format, service.rubric, result.plan), args.output)
    return 0


def cmd_history(args: argparse.Namespace, service: Service) -> int:
    if service.settings.db_path.exists():
        items, progress = service.history(service.store())
    else:
        items, progress = service.history_of_nothing()
    if getattr(args, "json", False):  # `mlsd` with no terminal shows the history too, without the flag
        doc = {"sessions": [HistoryEntry.of(s).model_dump() for s in items], "progress": progress.model_dump()}
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        return 0
    if not items:
        print("No sessions yet. Start one with: mlsd practice")
        return 0
    print(f"{'ID':>4}  {'DATE':<11}  {'CASE':<16}  {'DRILL':<13}  {'MIN':>3}  {'SCORE':>5}  {'LEVEL':<6}  STATUS")
    for s in items:
        r = s.row
        score = f"{s.overall:.0f}" if s.overall is not None else "-"
        status = r.status + (" (no answers)" if s.junk else "")
        print(printable(f"{r.id:>4}  {r.started[5:16].replace('T', ' '):<11}  {r.case_id[:16]:<16}  "
                        f"{(r.focus or '')[:13]:<13}  {r.minutes:>3g}  {score:>5}  {s.level or '-':<6}  {status}"))
    hint = progress.suggestion
    if hint is not None:
        print(f"\n{hint.text}: mlsd practice --focus {hint.category}")
    return 0


def cmd_compare(args: argparse.Namespace, service: Service) -> int:
    result = service.compare(service.store(), args.a, args.b)
    if args.json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(printable(comparison_text(result, service.rubric)))
    return 0


def cmd_export(args: argparse.Namespace, service: Service) -> int:
    store = service.store()
    row = store.session(args.session)
    fmt = args.format or ("json" if args.output and args.output.suffix == ".json" else "text")
    if fmt == "json":
        text = to_json(row, store.turns(row.id), store.scores(row.id))
    else:
        text = format_text(store.transcript(row.id))
    write_out(text, args.output)
    return 0


def cmd_import(args: argparse.Namespace, service: Service) -> int:
    row, turns = service.import_file(service.store(), args.file)
    print(f"imported {turns} turns as session {row.id}")
    return 0


def cmd_replay(args: argparse.Namespace, service: Service) -> int:
    store = service.store()
    row = store.session(args.session)
    if interactive():
        from mlsd.tui.app import Start

        store.close()
        return run_app(service, Start("replay", session_id=row.id))
    sys.stdout.write(printable(format_text(store.transcript(row.id))))
    return 0


def cmd_simulate(args: argparse.Namespace, service: Service) -> int:
    from mlsd.sessions.simulate import goals
    from mlsd.tui.simulate_text import goals_text, simulation_text

    sims = []
    for sim in service.simulations(args.case, args.persona, args.runs, args.seed, args.minutes, args.personas):
        sims.append(sim)
        if not args.json:
            sys.stdout.write(simulation_text(sim) + "\n")
            sys.stdout.flush()
    met = goals(sims)
    if args.json:
        doc = {"simulations": [s.as_json() for s in sims], "goals": [g.model_dump() for g in met]}
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(goals_text(met))
    return 0 if all(g.met for g in met) else 1


COMMANDS: dict[str, Callable[[argparse.Namespace, Service], int]] = {
    "home": cmd_home, "cases": cmd_cases, "practice": cmd_practice, "score": cmd_score, "report": cmd_report,
    "history": cmd_history, "export": cmd_export, "import": cmd_import, "replay": cmd_replay, "compare": cmd_compare,
    "calibrate": cmd_calibrate,
    "simulate": cmd_simulate,
}
