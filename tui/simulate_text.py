"""`mlsd simulate` as text: per case and persona a line per run and a total, then the goals."""
from __future__ import annotations

from mlsd.sessions.simulate import Goal, Simulation

HEADER = (f"{'RUN':>4} {'SEED':>5} {'CRASH':>5} {'ON TIME':>7} {'MUST-PROBE':>10} {'REDUNDANT':>9} {'FILLER':>7} "
          f"{'GROUNDED':>8} {'VOLUNTEERED':>11} {'SCORE':>5}")


def _recall(probed: int, missing: int) -> str:
    return f"{probed}/{missing}" if missing else "-"


def simulation_text(sim: Simulation) -> str:
    runs = f"{len(sim.runs)} run{'s' if len(sim.runs) != 1 else ''}"
    lines = [f"{sim.case}, {sim.persona} persona: {runs} from seed {sim.seed}, {sim.minutes:g} minutes, "
             f"{sim.backend} interviewer", HEADER]
    for run in sim.runs:
        m = run.metrics
        if m is None:
            lines.append(f"{run.run:>4} {run.seed:>5} {run.crashes:>5}  {run.error}")
            continue
        score = f"{run.overall:.0f}" if run.overall is not None else "-"
        lines.append(f"{run.run:>4} {run.seed:>5} {run.crashes:>5} {m.phases_on_time:>5}/{m.phases} "
                     f"{_recall(m.must_probe_probed, m.must_probe_missing):>10} {m.redundant_questions:>9} "
                     f"{m.filler_share:>7.0%} {m.grounded_follow_ups:>8} {m.facts_volunteered:>11} {score:>5}")
        lines += [f"{'':>11}late: {p}" for p in m.late_phases]
        lines += [f"{'':>11}redundant: {q}" for q in m.redundant]
        lines += [f"{'':>11}volunteered: {v}" for v in m.volunteered]
    t = sim.total
    lines.append(f"{'all':>4} {'':>5} {t.crashes:>5} {t.phases_on_time:>5}/{t.phases} "
                 f"{_recall(t.must_probe_probed, t.must_probe_missing):>10} {t.redundant_questions:>9} "
                 f"{t.filler_share:>7.0%} {t.grounded_follow_ups:>8} {t.facts_volunteered:>11}")
    return "\n".join(lines) + "\n"


def goals_text(goals: list[Goal]) -> str:
    return "Goals:\n" + "".join(f"  {'✔' if g.met else '✘'} {g.goal}: {g.value}\n" for g in goals)
