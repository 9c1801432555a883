"""The `mlsd` command. User errors become one line on stderr and exit code 2."""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from mlsd.interviewer.backends import build
from mlsd.interviewer.clock import SessionClock
from mlsd.interviewer.drill import DRILL_MINUTES, drill_categories
from mlsd.llm.errors import EndpointError
from mlsd.llm.providers import connect
from mlsd.prompts.case import Case
from mlsd.prompts.loader import CaseCatalog, CaseFileError, load_cases
from mlsd.rubric.model import load_rubric
from mlsd.rubric.report import FORMATS, MARK, render_report
from mlsd.rubric.score import ScoreReport
from mlsd.core.transcript import Transcript
from mlsd.sessions.history import HistoryEntry, summaries
from mlsd.sessions.progress import progress
from mlsd.sessions.reporting import compare_sessions, session_report
from mlsd.sessions.runner import PracticeSession
from mlsd.sessions.scoring import for_plan, offline_score, plan_of
from mlsd.sessions.store import SessionRow, Store, StoreError
from mlsd.sessions.transcript_json import from_json, to_json
from mlsd.sessions.transcript_text import TranscriptError, format_text, parse_text
from mlsd.tui.compare_text import comparison_text
from mlsd.tui.settings import Settings, SettingsError, load_settings


class UsageError(Exception):
    pass


USER_ERRORS = (CaseFileError, TranscriptError, StoreError, SettingsError, UsageError, EndpointError)


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
    sc = sub.add_parser("score", help="score a transcript file or a stored session")
    sc.add_argument("target", metavar="FILE|SESSION")
    sc.add_argument("--scorer", choices=["offline", "llm"], default="offline")
    sc.add_argument("--case", help="score against this case (default: the transcript's `case:` header)")
    sc.add_argument("--json", action="store_true", help="print the Score JSON")
    rp = sub.add_parser("report", help="a session's score report")
    rp.add_argument("session")
    rp.add_argument("--format", choices=FORMATS, default="md")
    rp.add_argument("-o", "--output", type=Path)
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
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except USER_ERRORS as exc:
        print(f"mlsd: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def run(args: argparse.Namespace) -> int:
    flags = {k: getattr(args, k, None) for k in ("backend", "model", "minutes")}
    settings = load_settings(flags)
    cmd = args.command or "home"
    return COMMANDS[cmd](args, settings)


# ---------------------------------------------------------------------- helpers
def catalog(settings: Settings) -> CaseCatalog:
    cat = load_cases([settings.cases_dir], vocabulary=load_rubric().vocabulary())
    for err in cat.errors:
        print(f"mlsd: skipped {err}", file=sys.stderr)
    return cat


def require_case(cat: CaseCatalog, case_id: str) -> Case:
    case = cat.get(case_id)
    if case is None:
        raise UsageError(f"unknown case {case_id!r}; known: {', '.join(cat.ids)}")
    return case


def write_out(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{output}: cannot write: {exc.strerror or exc}") from None
    print(f"wrote {output}", file=sys.stderr)


def read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TranscriptError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise TranscriptError(f"{path}: cannot read: {exc.strerror or exc}") from None


def summary(report: ScoreReport, title: str) -> str:
    rubric = load_rubric()
    names = {c.id: c.name for c in rubric.criteria}
    lines = [f"{title}: {report.overall:.0f}/100 ({report.scorer} scorer)", ""]
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
    lines.append("✔ met  ◐ partly met  ✘ missed  – not applicable")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- commands
def check_endpoint(settings: Settings) -> None:
    """A bad key or an unknown model is said now, before any clock starts."""
    endpoint = settings.endpoint()
    if endpoint is not None:
        asyncio.run(connect(endpoint).check())


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def run_app(settings: Settings, start, cat: CaseCatalog | None = None) -> int:
    from mlsd.tui.app import MlsdApp  # Textual loads only when the app opens

    app = MlsdApp(settings, cat or catalog(settings), start)
    app.run()
    return app.return_code or 0


def cmd_home(args, settings: Settings) -> int:
    if interactive():
        from mlsd.tui.app import Start

        check_endpoint(settings)
        return run_app(settings, Start("home"))
    cmd_cases(args, settings)
    print()
    cmd_history(args, settings)
    print("\nStart a session: mlsd practice [--case ID] [--minutes N]    Help: mlsd --help")
    return 0


def cmd_cases(args, settings: Settings) -> int:
    cat = catalog(settings)
    print(f"{'ID':<18} {'TITLE':<36} SOURCE")
    for case in cat.cases:
        mark = " (yours)" if case.user else ""
        print(f"{case.id:<18} {case.title[:36]:<36} {case.source}{mark}")
    return 0


def require_focus(focus: str) -> str:
    known = drill_categories(load_rubric())
    if focus not in known:
        raise UsageError(f"--focus {focus!r}: not a category that can be drilled; choose one of: {', '.join(known)}")
    return focus


def resumable(store: Store, which: str, focus: str | None) -> SessionRow:
    """`--resume` alone continues the latest unfinished interview; with `--focus`, the latest
    unfinished drill on it: drills and interviews in progress are kept apart."""
    rows = [r for r in store.sessions() if r.status == "active"]
    if which != "latest":
        row = next((r for r in rows if str(r.id) == which), None)
    else:
        row = next((r for r in rows if r.focus == focus), None)
    if row is None:
        what = f"{focus} drill" if focus else "interview"
        target = f"unfinished {what}s" if which == "latest" else f"unfinished session {which}"
        raise UsageError(f"no {target} to resume (see `mlsd history`)")
    return row


def cmd_practice(args, settings: Settings) -> int:
    cat = catalog(settings)
    focus = require_focus(args.focus) if args.focus else None
    store = Store(settings.db_path)
    check_endpoint(settings)
    endpoint = settings.endpoint()
    interviewer = build(connect(endpoint) if endpoint else None, settings.budget)
    row = None
    if args.resume:
        row = resumable(store, args.resume, focus)
        require_case(cat, row.case_id)
    elif args.case:
        require_case(cat, args.case)
    minutes = args.minutes if args.minutes is not None or focus is None else DRILL_MINUTES
    minutes = settings.minutes if minutes is None else minutes
    if not args.plain and interactive():
        from mlsd.tui.app import Start

        store.close()
        if row is not None:
            return run_app(settings, Start("resume", session_id=row.id), cat)
        if args.case or focus:
            start = Start("practice", case_id=args.case or cat.cases[0].id, seed=args.seed, focus=focus,
                          minutes=minutes)
        else:
            start = Start("home")
        return run_app(settings, start, cat)
    if row is not None:
        case = require_case(cat, row.case_id)
        session = PracticeSession.resume(store, row, case, SessionClock(offset=row.elapsed), interviewer)
    else:
        case = require_case(cat, args.case) if args.case else choose_case(cat)
        seed = args.seed if args.seed is not None else int.from_bytes(__import__("os").urandom(2), "big")
        session = PracticeSession.start(store, case, SessionClock(), interviewer, minutes=minutes,
                                        backend=settings.backend, model=settings.model, seed=seed, focus=focus)
    from mlsd.tui.plain import HELP, PlainDialogue

    kind = f"{load_rubric().category(session.plan.focus).name} drill on " if session.plan.focus else ""
    print(f"mlsd practice: {kind}{case.title} ({case.id}), {session.plan.minutes:g} minutes, session {session.id}")
    print(f"Interviewer: {interviewer.label}" + (f" ({settings.backend_reason})" if settings.backend_reason else ""))
    print(HELP)
    code = PlainDialogue(session).run()
    if session.score is not None:
        print()
        print(summary(session.score, kind + case.title))
        print(f"Full report: mlsd report {session.id}    Transcript: mlsd replay {session.id}")
    store.close()
    return code


def choose_case(cat: CaseCatalog) -> Case:
    if not cat.cases:
        raise UsageError("no cases found")
    if not sys.stdin.isatty():
        return cat.cases[0]
    for n, case in enumerate(cat.cases, start=1):
        print(f"  {n}. {case.title}: {case.summary}")
    while True:
        raw = input(f"Pick a case [1-{len(cat.cases)}, Enter for 1]: ").strip() or "1"
        if raw.isdigit() and 1 <= int(raw) <= len(cat.cases):
            return cat.cases[int(raw) - 1]
        if cat.get(raw):
            return cat.get(raw)


def load_target(target: str, settings: Settings) -> tuple[Transcript, int | None, Store | None]:
    path = Path(target)
    if path.is_file():
        text = read_file(path)
        if text.lstrip().startswith("{"):
            export = from_json(text, str(path))
            s = export.session
            headers = {"case": s.case_id, "minutes": f"{s.minutes:g}"} | ({"focus": s.focus} if s.focus else {})
            return Transcript(case_id=s.case_id, headers=headers, turns=export.turns, diagram=s.diagram), None, None
        return parse_text(text, str(path)), None, None
    if target.isdigit():
        store = Store(settings.db_path)
        return store.transcript(int(target)), int(target), store
    raise UsageError(f"{target!r} is neither a transcript file nor a session id (see `mlsd history`)")


def cmd_score(args, settings: Settings) -> int:
    endpoint = settings.endpoint()
    if args.scorer == "llm" and endpoint is None:
        raise UsageError("--scorer llm needs an endpoint: set OPENAI_API_KEY, or OPENAI_BASE_URL and MLSD_MODEL")
    transcript, session_id, store = load_target(args.target, settings)
    cat = catalog(settings)
    case_id = args.case or transcript.case_id
    case = cat.get(case_id) if case_id else None
    if args.case and case is None:
        require_case(cat, args.case)
    if case is None:
        what = f"unknown case {case_id!r}" if case_id else "no case header"
        print(f"mlsd: {what}: scoring with the full generic rubric", file=sys.stderr)
    rubric = load_rubric()
    plan = plan_of(transcript, rubric, args.target)
    if args.scorer == "llm":
        from mlsd.rubric.llm_judge import judge

        report = for_plan(asyncio.run(judge(transcript, case, connect(endpoint), plan=plan)), plan)
    else:
        report = offline_score(transcript, case, plan, rubric)
    if store is not None and session_id is not None:
        store.save_score(session_id, report)
    if args.json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(summary(report, case.title if case else (case_id or "transcript")))
    return 0


def cmd_report(args, settings: Settings) -> int:
    store = Store(settings.db_path)
    cat = catalog(settings)
    result = session_report(store, args.session, cat.get)
    write_out(render_report(result.data, args.format, plan=result.plan), args.output)
    return 0


def cmd_history(args, settings: Settings) -> int:
    items = summaries(Store(settings.db_path)) if settings.db_path.exists() else []
    if args.json:
        doc = {"sessions": [HistoryEntry.of(s).model_dump() for s in items],
               "progress": progress(items, load_rubric()).model_dump()}
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        return 0
    if not items:
        print("No sessions yet. Start one with: mlsd practice")
        return 0
    rubric = load_rubric()
    print(f"{'ID':>4}  {'DATE':<11}  {'CASE':<16}  {'DRILL':<13}  {'MIN':>3}  {'SCORE':>5}  {'LEVEL':<6}  STATUS")
    for s in items:
        r = s.row
        score = f"{s.overall:.0f}" if s.overall is not None else "-"
        status = r.status + (" (no answers)" if s.junk else "")
        print(f"{r.id:>4}  {r.started[5:16].replace('T', ' '):<11}  {r.case_id[:16]:<16}  {(r.focus or '')[:13]:<13}  "
              f"{r.minutes:>3g}  {score:>5}  {s.level or '-':<6}  {status}")
    hint = progress(items, rubric).suggestion
    if hint is not None:
        print(f"\n{hint.text}: mlsd practice --focus {hint.category}")
    return 0


def cmd_compare(args, settings: Settings) -> int:
    if args.a == args.b:
        raise UsageError(f"compare needs two different sessions, got {args.a} twice")
    store = Store(settings.db_path)
    result = compare_sessions(store, args.a, args.b, catalog(settings).get)
    if args.json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(comparison_text(result, load_rubric()))
    return 0


def cmd_export(args, settings: Settings) -> int:
    store = Store(settings.db_path)
    row = store.session(args.session)
    fmt = args.format or ("json" if args.output and args.output.suffix == ".json" else "text")
    if fmt == "json":
        text = to_json(row, store.turns(row.id), store.scores(row.id))
    else:
        text = format_text(store.transcript(row.id))
    write_out(text, args.output)
    return 0


def cmd_import(args, settings: Settings) -> int:
    text = read_file(args.file)
    store = Store(settings.db_path)
    if text.lstrip().startswith("{"):
        export = from_json(text, str(args.file))
        s = export.session
        if s.focus is not None and s.focus not in drill_categories(load_rubric()):
            raise TranscriptError(f"{args.file}: session.focus: {s.focus!r} is not a category that can be drilled")
        row = store.create_session(s.case_id, s.case_title, s.backend, s.minutes, model=s.model, seed=s.seed,
                                   status=s.status, started=s.started, focus=s.focus)
        store.update_session(row.id, ended=s.ended, diagram=s.diagram)
        turns, scores = export.turns, export.scores
    else:
        transcript = parse_text(text, str(args.file))
        h = transcript.headers
        plan = plan_of(transcript, load_rubric(), str(args.file))
        case = catalog(settings).get(transcript.case_id or "")
        row = store.create_session(transcript.case_id or "unknown", case.title if case else "", h.get("backend", "imported"),
                                   plan.minutes, model=h.get("model"), status="imported", started=h.get("started"),
                                   focus=plan.focus)
        turns, scores = transcript.turns, {}
    for turn in turns:
        store.add_turn(row.id, turn)
    for report in scores.values():
        store.save_score(row.id, report)
    print(f"imported {len(turns)} turns as session {row.id}")
    return 0


def cmd_replay(args, settings: Settings) -> int:
    store = Store(settings.db_path)
    row = store.session(args.session)
    if interactive():
        from mlsd.tui.app import Start

        store.close()
        return run_app(settings, Start("replay", session_id=row.id))
    sys.stdout.write(format_text(store.transcript(row.id)))
    return 0


COMMANDS = {
    "home": cmd_home, "cases": cmd_cases, "practice": cmd_practice, "score": cmd_score, "report": cmd_report,
    "history": cmd_history, "export": cmd_export, "import": cmd_import, "replay": cmd_replay, "compare": cmd_compare,
}
