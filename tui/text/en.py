"""The app's words in English: the same keys as tui.text.nl (a test checks they match)."""

from __future__ import annotations

TEXT: dict[str, str] = {
    # statuses
    "status.todo": "to do",
    "status.running": "running",
    "status.done": "done",
    "status.failed": "failed",
    "status.confirmed": "confirmed by hand",
    "status.check_since": "check since: {result}",
    "status.skipped": "skipped",
    "status.interrupted": "interrupted",
    "status.blocked": "blocked",
    # palette commands
    "cmd.goto": "Go to step",
    "cmd.search": "Search for a command or step...",
    # detail
    "detail.menu": "Menu",
    "overview.title": "Introduction",
    "overview.product": "Product",
    "overview.all_done": "Every step is done. koppel report makes a hand-over report.",
    "overview.next": "Press n for the next open step, or choose a step in the list.",
    "detail.waits_for": "This step waits for",
    "detail.read_only": "Read-only",
    "detail.manual_note": "Note (optional)",
    "detail.submit_button": "Save",
    "detail.rerun_button": "Run again",
    "detail.na": "Check it yourself, then confirm the step manually with space.",
    "detail.interrupted": "The check did not finish (cancelled, or koppel stopped): run it again (r).",
    "detail.interrupted_manual": "This step was interrupted.",
    "detail.skipped": "Skipped",
    "detail.note": "Note",
    "detail.scoped": "Per administratie: choose an administratie under it in the list.",
    "detail.last_result": "Last result",
    "detail.previous_result": "Result of the run before",
    "result.ok": "OK",
    "result.warn": "WARNING",
    "result.fail": "FAILED",
    "result.na": "N/A",
    "detail.secret_hint": "never saved",
    "detail.optional": "optional",
    "detail.required": "required",
    "detail.choose": "Choose...",
    # messages
    "msg.saved": "Saved",
    "msg.not_saved": "Not saved",
    "msg.welcome": "Welcome back: last worked {ago}",
    "msg.welcome_by": "Welcome back: last worked {ago} by {by}",
    "msg.saved_again": "Saved again: the progress is on disk.",
    "msg.quit_unsaved": (
        "Free some space (or fix it) and quit again. Quit once more now and the last changes are lost."
    ),
    "msg.form_errors": "The form has errors: nothing saved.",
    "msg.no_copy": "Nothing to copy for this step.",
    "msg.copied": "Copied to the clipboard",
    "msg.copied_by_check": "{what} copied ({n} characters): paste it where the step asks for it.",
    "copy.licence_text": "Licence text",
    "copy.text": "Text",
    "msg.cancelled": "Check cancelled",
    "msg.run_all": "{n} checks started",
    "msg.run_all_none": "No checks to run.",
    "msg.worker_failed": "koppel error",
    "msg.quit_hint": "Quit with q, Ctrl+Q or F10. Everything is already saved.",
    "msg.interrupted": "{n} step(s) were still running when koppel stopped; run them again.",
    "msg.lang": "Language: English",
    "msg.ascii_on": "ASCII mode on",
    "msg.ascii_off": "ASCII mode off",
    "msg.fields_first": "Correct the fields first.",
    # why a key does nothing here (the keys table's reasons)
    "why.no_step": "Choose a step in the list first.",
    "why.read_only": "Read-only: nothing changes here.",
    "why.form_enter": "A form is saved with Enter in a field.",
    "why.waits": "This step waits for: {names}",
    "why.busy": "This step's check is still running (Esc cancels).",
    "why.no_check": "This step has no check to run.",
    "why.all_done": "Every step is done.",
    "why.not_optional": "This step is not optional.",
    "why.no_copy": "Nothing to copy for this step.",
    "why.copying": "Still copying.",
    # dialogs
    "dlg.yes": "Yes",
    "dlg.no": "No",
    "dlg.ok": "OK",
    "dlg.cancel": "Cancel",
    "dlg.reopen": "Reopen '{title}'? The step goes back to open.",
    "dlg.confirm_check": "Mark '{title}' as done without a passing check?",
    "dlg.skip_title": "Skip '{title}'",
    "dlg.skip_reason": "Reason (required)",
    "dlg.skip_empty": "Give a reason.",
    # help / too small
    "help.title": "Help: keys",
    "help.here": "Here",
    "help.keys": "All keys",
    "help.close": "Esc, F1 or q closes this help.",
    "help.tree": (
        "The checklist: arrows or j/k move, left/right collapse and expand sections, Enter opens the step on "
        "the right. Tab moves to the step's text; arrows scroll it there."
    ),
    "help.input": (
        "An input field: type the value; its validation shows right under it. Tab moves to the next field, "
        "Enter submits the form, Esc goes back to the list."
    ),
    "help.log": (
        "The check's log: up/down arrows scroll, Home/End go to the start and the end. A long line continues "
        "on the next, indented. Esc cancels a running check."
    ),
    "help.select": (
        "A choice list: space or an arrow opens it, arrows choose, Enter picks. Enter on the closed list "
        "submits the form. Tab moves to the next field, Esc goes back to the list."
    ),
    "help.other": "Tab and Shift+Tab move between fields and buttons.",
    "help.palette": "Commands (ctrl+p), also those without a key of their own",
    "help.statuses": "Status marks",
    "small.title": "Terminal too small",
    "small.body": "{cw}x{ch}, needed {w}x{h}.\nCtrl+Q quits (everything is saved).\nOr make the window larger.",
    "header.progress": "done",
    "header.unsaved": "NOT SAVED",
    "log.empty": "(the check wrote no output)",
    # headless commands (koppel status, report, check, answers, reset)
    "server.this_machine": "server {name} (this machine; another: --server)",
    "server.only": "server {name} (the only one known; another: --server)",
    "server.last_used": "server {name} (the last one used of {n}: {known}; another: --server)",
    "server.new": "server {name} (this machine, no progress yet)",
    "server.no_state": "no state for {name}; known: {known}",
    "server.none_known": "none yet (start koppel to begin)",
    "reset.needs_yes": "reset forgets all progress of {name}: add --yes to confirm",
    "reset.done": "forgot {name} ({done}/{total} done; removed: {files})",
    "check.unknown_id": "no automated check with id {ids}{hint}; valid: {valid}",
    "check.did_you_mean": " (did you mean '{name}'?)",
    "check.not_recorded": "{why}; results are not recorded",
    "import.done": "{n} steps pre-filled for {name}",
    # values and counts as a person reads them (the report, koppel status)
    "value.yes": "yes",
    "value.no": "no",
    "value.empty": "—",
    "count.flagged": "{n} with a check since that did not pass",
    # the hand-over report
    "report.title": "Hand-over report",
    "report.generated": "Generated",
    "report.administraties": "Administraties",
    "report.by": "by {by}",
    "report.reason": "Reason",
    "report.hint": "Hint",
    "servers.none": "no servers yet",
    "servers.in_use": "in use by {who}",
}
