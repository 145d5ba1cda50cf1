"""A greedy first plan for PyVRP to start from, instead of its random one.

Why: a campaign plan is over-full (far more people than team-days) and prize-collecting.
PyVRP's iterated local search starts from a random solution; on a 3,000-person,
100-team-day problem it spends its first minutes discovering which stops are worth a
place at all, so a short run ended several per cent of served weight below a 10x longer
run (benchmarks/README.md). This fills each team-day in turn, in the order of the
vehicle types, with the stop that adds the most weight per minute of the team's time
(driving, waiting and service), among those it can still reach, serve inside the stop's
window and return from before the shift ends. The search then only improves it.

Feasibility is PyVRP's own arithmetic (the same matrices, windows and service times), so
the start is feasible; nothing here decides what the plan finally is.
"""

from __future__ import annotations

import numpy as np
from pyvrp import ProblemData, Route, Solution


def greedy_solution(data: ProblemData, stop_of: list[int], barred_seconds: int) -> Solution:
    """Routes for every vehicle type, filled greedily by weight per minute.

    Parameters
    ----------
    data
        The PyVRP problem (one vehicle per type; clients optional, copies of one stop in a
        mutually exclusive group).
    stop_of
        For each client, the stop it is a copy of: a stop is visited once at most.
    barred_seconds
        Durations at or above this are the barred edges of a team lacking a skill.
    """
    clients = data.clients()
    n = len(clients)
    loc = np.array([c.location for c in clients], dtype=np.int64)
    early = np.array([c.tw_early for c in clients], dtype=np.int64)
    late = np.array([c.tw_late for c in clients], dtype=np.int64)
    service = np.array([c.service_duration for c in clients], dtype=np.int64)
    prize = np.array([c.prize for c in clients], dtype=np.float64)
    stops = np.asarray(stop_of, dtype=np.int64)
    open_stop = np.ones(int(stops.max()) + 1 if n else 0, dtype=bool)
    durations = [np.asarray(m) for m in data.duration_matrices()]
    depots = data.depots()

    routes = []
    for index, vtype in enumerate(data.vehicle_types()):
        dur = durations[vtype.profile]
        here = depots[vtype.start_depot].location
        home = depots[vtype.end_depot].location
        now = vtype.tw_early
        visits: list[int] = []
        while True:
            travel = dur[here, loc]
            start = np.maximum(now + travel, early)
            back = dur[loc, home]
            ok = (open_stop[stops] & (travel < barred_seconds) & (back < barred_seconds)
                  & (start <= late) & (start + service + back <= vtype.tw_late))
            if not ok.any():
                break
            spent = (start - now + service).astype(np.float64)
            score = np.where(ok, prize / np.maximum(spent, 1.0), -1.0)
            best = int(np.argmax(score))
            visits.append(best)
            open_stop[stops[best]] = False
            now = int(start[best] + service[best])
            here = int(loc[best])
        if visits:
            routes.append(Route(data, visits, index))
    return Solution(data, routes)
