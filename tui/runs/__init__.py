"""The one road of a step's check or action: the TUI, headless ``koppel check``, "run all checks" and
copy-by-check all take it (see ``tui.runs.runner``). Plain Python: never imports Textual or the ui."""

from tui.runs.runner import MAX_LINES, Outcome, Run, RunRegistry, StepRunner

__all__ = ["MAX_LINES", "Outcome", "Run", "RunRegistry", "StepRunner"]
