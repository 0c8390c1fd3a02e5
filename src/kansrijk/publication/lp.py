"""Linear programmes for the gate, solved by HiGHS (highspy) with the model kept between solves.

The attacker's audit asks many questions of one programme (the lowest and the highest value of
each hidden count); rebuilding the model for each (as `scipy.optimize.linprog` does) costs more
than solving it. A `Program` passes its constraints to HiGHS once; every `optimise` changes only
the objective and re-solves from the previous basis, which takes a few simplex iterations.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

FloatArray = npt.NDArray[np.float64]
INF = float("inf")


class Outcome(Enum):
    OPTIMAL = "optimal"
    UNBOUNDED = "unbounded"
    INFEASIBLE = "infeasible"


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints a banner on stdout when the first solver of a process is made; a command
    whose stdout is data (CSV, JSON) must not carry it."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with Path(os.devnull).open("w") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


_STATE = {"first": True}


def _highs() -> Any:
    import highspy  # noqa: PLC0415 (heavy: only when a programme is solved)

    if _STATE["first"]:
        with _quiet_stdout():
            solver = highspy.Highs()  # type: ignore[no-untyped-call]
        _STATE["first"] = False
    else:
        solver = highspy.Highs()  # type: ignore[no-untyped-call]
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("threads", 1)
    return solver


@dataclass
class Solution:
    outcome: Outcome
    x: FloatArray | None
    objective: float


class Program:
    """``row_lower <= a @ x <= row_upper``, ``col_lower <= x <= col_upper``; any objective."""

    def __init__(
        self,
        a: sp.spmatrix,
        row_lower: FloatArray,
        row_upper: FloatArray,
        col_lower: FloatArray,
        col_upper: FloatArray,
        *,
        presolve: bool = True,
    ) -> None:
        import highspy  # noqa: PLC0415

        self._highspy = highspy
        self.h = _highs()
        if not presolve:
            self.h.setOptionValue("presolve", "off")
        csc = sp.csc_matrix(a)
        lp = highspy.HighsLp()
        lp.num_col_ = csc.shape[1]
        lp.num_row_ = csc.shape[0]
        lp.col_cost_ = np.zeros(csc.shape[1])
        lp.col_lower_ = np.asarray(col_lower, dtype=float)
        lp.col_upper_ = np.asarray(col_upper, dtype=float)
        lp.row_lower_ = np.asarray(row_lower, dtype=float)
        lp.row_upper_ = np.asarray(row_upper, dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
        lp.a_matrix_.index_ = csc.indices.astype(np.int32)
        lp.a_matrix_.value_ = csc.data.astype(float)
        lp.a_matrix_.num_col_ = csc.shape[1]
        lp.a_matrix_.num_row_ = csc.shape[0]
        self.h.passModel(lp)
        self.columns = csc.shape[1]
        self._all = np.arange(self.columns, dtype=np.int32)

    def set_row_bounds(self, row: int, lower: float, upper: float) -> None:
        """Change one row's bounds (the next solve starts from the current basis)."""
        self.h.changeRowBounds(int(row), float(lower), float(upper))

    def reset(self) -> None:
        """Forget the basis (the next solve starts afresh)."""
        self.h.clearSolver()

    def optimise(self, cost: FloatArray, *, maximise: bool = False) -> Solution:
        """Minimise (or maximise) ``cost @ x``."""
        hs = self._highspy
        self.h.changeColsCost(self.columns, self._all, np.asarray(cost, dtype=float))
        self.h.changeObjectiveSense(hs.ObjSense.kMaximize if maximise else hs.ObjSense.kMinimize)
        self.h.run()
        status = self.h.getModelStatus()
        if status == hs.HighsModelStatus.kOptimal:
            x = np.asarray(self.h.getSolution().col_value, dtype=float)
            return Solution(Outcome.OPTIMAL, x, float(self.h.getInfo().objective_function_value))
        if status in (hs.HighsModelStatus.kUnbounded, hs.HighsModelStatus.kUnboundedOrInfeasible):
            if status == hs.HighsModelStatus.kUnboundedOrInfeasible:
                # Presolve could not tell: ask the simplex without it.
                self.h.setOptionValue("presolve", "off")
                self.h.run()
                if self.h.getModelStatus() == hs.HighsModelStatus.kInfeasible:
                    return Solution(Outcome.INFEASIBLE, None, float("nan"))
            return Solution(Outcome.UNBOUNDED, None, INF if maximise else -INF)
        if status == hs.HighsModelStatus.kInfeasible:
            return Solution(Outcome.INFEASIBLE, None, float("nan"))
        raise RuntimeError(f"HiGHS stopped with {self.h.modelStatusToString(status)}")


def program(
    *,
    a_eq: sp.spmatrix | None = None,
    b_eq: FloatArray | None = None,
    a_ge: sp.spmatrix | None = None,
    b_ge: FloatArray | None = None,
    columns: int,
    col_lower: FloatArray | float = 0.0,
    col_upper: FloatArray | float = INF,
    presolve: bool = True,
) -> Program:
    """A `Program` from equalities ``a_eq @ x == b_eq`` and inequalities ``a_ge @ x >= b_ge``."""
    blocks: list[sp.spmatrix] = []
    lower: list[FloatArray] = []
    upper: list[FloatArray] = []
    if a_eq is not None and a_eq.shape[0]:
        assert b_eq is not None
        blocks.append(a_eq)
        lower.append(np.asarray(b_eq, dtype=float))
        upper.append(np.asarray(b_eq, dtype=float))
    if a_ge is not None and a_ge.shape[0]:
        assert b_ge is not None
        blocks.append(a_ge)
        lower.append(np.asarray(b_ge, dtype=float))
        upper.append(np.full(a_ge.shape[0], INF))
    a = sp.vstack(blocks, format="csc") if blocks else sp.csc_matrix((0, columns))
    return Program(
        a,
        np.concatenate(lower) if lower else np.zeros(0),
        np.concatenate(upper) if upper else np.zeros(0),
        np.broadcast_to(np.asarray(col_lower, dtype=float), (columns,)).copy(),
        np.broadcast_to(np.asarray(col_upper, dtype=float), (columns,)).copy(),
        presolve=presolve,
    )
