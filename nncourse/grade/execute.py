"""nbgrader's ``Execute`` preprocessor, which stops a notebook whose kernel
ignores the interrupt at a cell's limit.

At a cell's limit nbclient interrupts the kernel, records the timeout and
goes on with the next cell. A kernel that ignores the interrupt (a loop that
catches ``KeyboardInterrupt``, or ``SIGINT`` ignored) is still busy with the
old cell, so every later cell waits out its own limit, and the notebook runs
to the sandbox's deadline (600 s by default), graded as nothing. Here the
kernel gets a grace to answer instead (another cell limit); one that does not
is killed, and the cells after it are recorded as not run: the notebook ends
about two cell limits after the stuck cell started, keeping the points of
what ran before it.
"""

from __future__ import annotations

import signal

import nbformat
from nbclient.util import ensure_async
from nbgrader.preprocessors import Execute
from traitlets import Float

from nncourse.preprocessors.cells import cell_name, note, notes

#: The notebook's note naming the cell whose kernel ignored its interrupt.
STOPPED_AFTER = "stopped_after"
#: The error a cell that was not run shows.
NOT_RUN = "CellNotRun"


class GradedExecute(Execute):
    interrupt_grace = Float(
        None,
        allow_none=True,
        config=True,
        help="Seconds a kernel has to answer after a cell that reached its "
        "limit was interrupted (beyond nbclient's iopub_timeout); one that "
        "does not is stopped, and the cells after it are not run. None: the "
        "cell's limit (``timeout``) again, as a kernel that its own processes "
        "starve (a fork bomb's) answers slowly, but answers.",
    )

    @property
    def stopped_after(self) -> str | None:
        """The cell after which the notebook was stopped (the note says)."""
        return notes(self.nb).get(STOPPED_AFTER)

    def preprocess(self, nb, resources=None, km=None):
        note(nb, STOPPED_AFTER, None)  # nothing the submission brought counts
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        if self.stopped_after is None or cell.cell_type != "code":
            return super().preprocess_cell(cell, resources, index)
        if not cell.source.strip():
            return cell, resources  # nbclient skips an empty cell too
        cell.outputs = [not_run_output(self.stopped_after)]
        cell.execution_count = None
        return cell, resources

    async def on_cell_executed(self, **kwargs) -> None:
        super().on_cell_executed(**kwargs)
        reply = kwargs["execute_reply"]["content"]
        timed_out = (self.error_on_timeout or {}).get("ename")
        grace = self.timeout if self.interrupt_grace is None else self.interrupt_grace
        if not timed_out or reply.get("ename") != timed_out or not grace or grace < 0:
            return  # (no cell limit: no grace either)
        # Whatever stopped the cell, an empty request tells whether the
        # kernel now runs code: one still busy with the cell cannot answer.
        try:
            await ensure_async(
                self.kc.execute(
                    "", silent=True, store_history=False, reply=True, timeout=grace
                )
            )
        except TimeoutError:
            if not await ensure_async(self.km.is_alive()):
                return  # it died (its memory?): nbclient says so at the next cell
            stuck = cell_name(kwargs["cell"], kwargs["cell_index"])
            note(self.nb, STOPPED_AFTER, stuck)
            await ensure_async(self.km.signal_kernel(signal.SIGKILL))


def not_run_output(stopped_after: str):
    why = (
        f"not run: cell {stopped_after} went on past its time limit after it "
        "was interrupted, so its kernel was stopped"
    )
    return nbformat.v4.new_output(
        "error", ename=NOT_RUN, evalue=why, traceback=[f"{NOT_RUN}: {why}"]
    )
