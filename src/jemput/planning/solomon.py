"""Solomon VRPTW instances: read the text format, solve with PyVRP, write VRPLIB solutions.

The benchmark side of the planner: the same solver the campaigns use, on the instances
the routing literature measures itself on. Distances and times follow the convention of
the published distance-minimising best-known solutions (the DIMACS VRPTW challenge):
Euclidean distance truncated to one decimal. Internally every distance, time and window
is scaled by 10 to an integer, so the truncation is exact.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pyvrp import Client, Depot, Location, ProblemData, Solution, VehicleType
from pyvrp import solve as pyvrp_solve
from pyvrp.stop import MaxIterations, MaxRuntime

SCALE = 10


class SolomonError(ValueError):
    """The file is not a Solomon instance; the message names the line."""


@dataclass(frozen=True)
class Customer:
    number: int          # as in the file (0 is the depot)
    x: float
    y: float
    demand: int
    ready: int
    due: int
    service: int


@dataclass(frozen=True)
class SolomonInstance:
    name: str
    vehicles: int
    capacity: int
    depot: Customer
    customers: tuple[Customer, ...]


def read_solomon(path: Path) -> SolomonInstance:
    """Parse a Solomon-format file (name, VEHICLE NUMBER/CAPACITY, CUSTOMER rows)."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    name = next((line.strip() for line in lines if line.strip()), "")
    vehicles = capacity = None
    rows: list[Customer] = []
    section = ""
    for number, line in enumerate(lines, start=1):
        fields = line.split()
        if not fields:
            continue
        head = fields[0].upper()
        if head in {"VEHICLE", "CUSTOMER"}:
            section = head
            continue
        if section == "VEHICLE" and head == "NUMBER":
            continue
        if section == "VEHICLE":
            try:
                vehicles, capacity = int(fields[0]), int(fields[1])
            except (ValueError, IndexError):
                raise SolomonError(
                    f"baris {number}: jumlah kendaraan dan kapasitas tidak terbaca "
                    f"({line.strip()!r}) / line {number}: vehicle number and capacity "
                    "expected") from None
            section = "VEHICLE-DONE"
            continue
        if section == "CUSTOMER" and head.startswith("CUST"):
            continue
        if section == "CUSTOMER":
            rows.append(_customer(fields, number, line))
    if vehicles is None or capacity is None:
        raise SolomonError("bagian VEHICLE tidak ditemukan / no VEHICLE section")
    if len(rows) < 2:
        raise SolomonError("bagian CUSTOMER kosong / no CUSTOMER rows")
    if rows[0].number != 0:
        raise SolomonError("baris pertama CUSTOMER harus depot nomor 0 / the first "
                           "CUSTOMER row must be depot 0")
    return SolomonInstance(name=name, vehicles=vehicles, capacity=capacity, depot=rows[0],
                           customers=tuple(rows[1:]))


def _customer(fields: list[str], number: int, line: str) -> Customer:
    if len(fields) != 7:
        raise SolomonError(f"baris {number}: 7 kolom diharapkan, ada {len(fields)} "
                           f"({line.strip()!r}) / line {number}: 7 columns expected")
    try:
        values = [float(f) for f in fields]
    except ValueError:
        raise SolomonError(f"baris {number}: bukan angka ({line.strip()!r}) / "
                           f"line {number}: not a number") from None
    n, x, y, demand, ready, due, service = values
    return Customer(int(n), x, y, int(demand), int(ready), int(due), int(service))


def distance_matrix(instance: SolomonInstance) -> np.ndarray:
    """Euclidean distances x 10, truncated: the one-decimal convention as integers."""
    points = np.array([(c.x, c.y) for c in (instance.depot, *instance.customers)])
    diff = points[:, None, :] - points[None, :, :]
    return np.floor(SCALE * np.sqrt((diff**2).sum(axis=2)) + 1e-9).astype(np.int64)


def problem_data(instance: SolomonInstance) -> ProblemData:
    """The instance as PyVRP data: one depot, a fleet of `vehicles`, travel time = distance."""
    every = (instance.depot, *instance.customers)
    locations = [Location(x=c.x, y=c.y, name=str(c.number)) for c in every]
    clients = [Client(location=i + 1, delivery=[c.demand], service_duration=c.service * SCALE,
                      tw_early=c.ready * SCALE, tw_late=c.due * SCALE, name=str(c.number))
               for i, c in enumerate(instance.customers)]
    depot = Depot(location=0, tw_early=instance.depot.ready * SCALE,
                  tw_late=instance.depot.due * SCALE)
    fleet = VehicleType(num_available=instance.vehicles, capacity=[instance.capacity],
                        tw_early=instance.depot.ready * SCALE,
                        tw_late=instance.depot.due * SCALE)
    matrix = distance_matrix(instance)
    return ProblemData(locations, clients, [depot], [fleet],
                       [matrix], [matrix.copy()])  # type: ignore[list-item]


@dataclass(frozen=True)
class SolomonResult:
    routes: tuple[tuple[int, ...], ...]   # customer numbers as in the file
    cost: int                             # distance x 10
    feasible: bool
    solution: Solution


def solve_instance(instance: SolomonInstance, *, seed: int = 1, seconds: float | None = 10.0,
                   iterations: int | None = None) -> SolomonResult:
    """Minimise total distance with the instance's fleet; iterations win over seconds."""
    data = problem_data(instance)
    stop = MaxIterations(iterations) if iterations is not None else MaxRuntime(seconds or 10.0)
    best = pyvrp_solve(data, stop, seed=seed, collect_stats=False, display=False).best
    numbers = [c.number for c in instance.customers]
    routes = tuple(tuple(numbers[a.idx] for a in route.schedule() if a.is_client())
                   for route in best.routes())
    return SolomonResult(routes=routes, cost=best.distance(), feasible=best.is_feasible(),
                         solution=best)


def format_vrplib(result: SolomonResult) -> str:
    """The VRPLIB solution format: `Route #k: i j ...` lines, then `Cost X`."""
    lines = [f"Route #{k}: {' '.join(map(str, route))}"
             for k, route in enumerate(result.routes, start=1)]
    lines.append(f"Cost {format_cost(result.cost)}")
    return "\n".join(lines) + "\n"


def format_cost(scaled: int) -> str:
    return f"{scaled // SCALE}.{scaled % SCALE}"


def route_cost(instance: SolomonInstance, routes: tuple[tuple[int, ...], ...]) -> float:
    """Recompute a solution's cost from coordinates (each leg truncated to one decimal)."""
    point = {c.number: (c.x, c.y) for c in (instance.depot, *instance.customers)}
    total = 0
    for route in routes:
        stops = [0, *route, 0]
        for a, b in itertools.pairwise(stops):
            (xa, ya), (xb, yb) = point[a], point[b]
            total += math.floor(SCALE * math.hypot(xa - xb, ya - yb) + 1e-9)
    return total / SCALE
