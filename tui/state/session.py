"""One admin's session on one server: the playbook, its per-server state, and every operation on it.

The UI and the headless commands both go through this class; it never imports Textual. Secrets
(fields of type ``secret``) live only in memory here and are scrubbed from anything recorded; so is
a password written into an address (``http://user:password@proxy``), which a stored field refuses.
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, ContextManager, Iterable, Protocol

from tui import __version__
from tui.state.checklist import Checklist, StepRef, UnknownStep
from tui.state.counts import CLOSED, Tally
from tui.state.errors import NotOptional, ReadOnly, SaveFailed, SessionError, StateUnavailable, StepBlocked
from tui.state.language import default_lang
from tui.state.opening import confirm_done_checks_without_result, end_interrupted_runs
from tui.state.params import check_params
from tui.state.saving import OsReason, Saves
from tui.state.schema import LOG_TAIL_LINES, now
from tui.state.typed_secrets import TypedSecrets, note_address_passwords
from tui.state.welcome import WelcomeBack
from tui.text import Phrase, t

if TYPE_CHECKING:  # types only: a status read from plain JSON never loads pydantic (tui.headless.fast)
    from tui.playbook.model import Playbook
    from tui.state.model import ServerState, StepState
    from tui.playbook.rules import Finding
    from tui.state.store import StateStore

PASSED = ("ok", "warn")  # results that make a check step done
DONE = ("done", "confirmed")  # done by a passing check / a form / the admin's hand: reopen undoes it
NOTE_DRAFT = "note"  # a manual step's half-typed note travels as its draft


class CheckOutcome(Protocol):
    """What a check's result gives the record (tui.checks.base.CheckResult is one; the state wing
    does not import the checks)."""

    status: str
    message: str
    hint: str
    evidence: dict[str, Any]
    duration_ms: int


class Session:
    def __init__(self, playbook: Playbook, state: ServerState, store: StateStore | None = None,
                 *, lang: str = "nl", who: str | None = None, log_path: Path | None = None) -> None:
        self.playbook = playbook
        self.state = state
        self.store = store
        self.lang = lang
        self._who = who  # asked of the OS at the first change (a status only reads: issue 11)
        self.log_path = log_path  # the server's full check log; the state keeps only a tail
        self.checklist = Checklist(playbook, state)
        self._secrets = TypedSecrets(state)
        self._saves = Saves(store, state, lambda: self.lang)
        self.interrupted: list[str] = end_interrupted_runs(state)
        confirmed = confirm_done_checks_without_result(state, playbook)
        if (self.interrupted or confirmed) and not self.read_only:
            self._changed(touch=False)

    @property
    def who(self) -> str:
        """``user@host`` recorded with every step this session changes."""
        if not self._who:
            from tui.state.paths import who as current_who

            self._who = current_who()
        return self._who

    @who.setter
    def who(self, value: str) -> None:
        self._who = value

    # -- reading -----------------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return bool(self.store and self.store.read_only)

    @property
    def save_error(self) -> str | None:
        """Why the last background save (drafts, the cursor) failed; None once a save succeeds."""
        return self.store.save_error if self.store else None

    def refs(self) -> list[StepRef]:
        """The checklist's steps in order, built once (again only when the administraties change)."""
        return self.checklist.refs()

    def ref(self, key: str) -> StepRef:
        try:
            return self.checklist.ref(key)
        except UnknownStep:
            raise SessionError(f"unknown step '{key}'") from None

    def has(self, key: str) -> bool:
        return self.checklist.has(key)

    def step_state(self, key: str) -> StepState:
        return self.state.peek(key)

    def blockers(self, key: str) -> list[StepRef]:
        return self.checklist.blockers(key)

    def status(self, key: str) -> str:
        return self.checklist.status(key)

    def count(self, refs: Iterable[StepRef] | None = None) -> Tally:
        """How far the checklist (or ``refs`` of it) is: the one count everything shows (tui.state.counts)."""
        return self.checklist.count(refs)

    def section_count(self, section_id: str) -> Tally:
        return self.checklist.section_count(section_id)

    def progress(self, refs: Iterable[StepRef] | None = None) -> tuple[int, int]:
        count = self.count(refs)
        return count.done, count.total

    def section_progress(self, section_id: str) -> tuple[int, int]:
        count = self.section_count(section_id)
        return count.done, count.total

    def next_open(self, from_key: str | None = None, backwards: bool = False) -> str | None:
        """The next step still to do (unblocked first), going round the list once."""
        return self.checklist.next_open(from_key, backwards)

    def welcome_back(self) -> WelcomeBack | None:
        # only where someone worked: answers imported from a file stamp no step, so they greet nobody
        if self.state.updated_at is None or not any(e.updated_at for e in self.state.steps.values()):
            return None
        done, total = self.progress()
        cursor = self.state.cursor
        title = self.ref(cursor).title(self.lang) if cursor and self.has(cursor) else None
        return WelcomeBack(done, total, self.state.updated_at, self.state.updated_by, title)

    def answers(self, key: str) -> dict[str, Any]:
        return dict(self.state.peek(key).answers)

    def form_values(self, key: str) -> dict[str, Any]:
        """What a form shows: the draft if there is one, else the answers, else field defaults."""
        ref = self.ref(key)
        stored = self.state.peek(key)
        values = {f.id: f.default for f in ref.step.fields if f.default is not None and not f.secret}
        values.update(stored.answers)
        values.update(stored.draft or {})
        values.update(self._secrets.of(key))
        return values

    # -- changing ----------------------------------------------------------------------------
    def set_lang(self, lang: str) -> None:
        """The admin's language, remembered in the state for the next start (``--lang`` still wins)."""
        self.lang = lang
        if self.state.lang != lang:
            self.state.lang = lang
            self._changed(soon=True, touch=False)

    def set_cursor(self, key: str) -> None:
        if self.state.cursor != key:
            self.state.cursor = key
            self._changed(soon=True, touch=False)

    def set_focus(self, field_id: str | None) -> None:
        """The field of the cursor's step the admin is typing in (None: the list, a button)."""
        if self.state.focus != field_id:
            self.state.focus = field_id
            self._changed(soon=True, touch=False)

    def confirm(self, key: str, note: str = "") -> None:
        ref = self._writable(key)
        if ref.step.kind == "form":
            raise SessionError(t("session.form_needs_enter", self.lang))
        entry = self.state.step(key)
        passed = entry.result is not None and entry.result.status in PASSED
        # a check step confirmed by hand (it failed, could not run here, or never ran) says so
        entry.status = "confirmed" if ref.step.check is not None and not passed else "done"
        entry.note, entry.draft, entry.check_since = self.scrub(note.strip()), None, None
        self._stamp(entry)
        self._changed()

    def reopen(self, key: str) -> None:
        entry = self.state.step(self._ref_for_write(key).key)
        entry.status, entry.skip_reason, entry.check_since = "todo", "", None
        self._stamp(entry)
        self._changed()

    def skip(self, key: str, reason: str) -> None:
        ref = self._ref_for_write(key)
        if not ref.step.optional:
            raise NotOptional(t("session.not_optional", self.lang, title=ref.title(self.lang)))
        if not reason.strip():
            raise SessionError(t("session.give_a_reason", self.lang))
        entry = self.state.step(key)
        entry.status, entry.skip_reason, entry.check_since = "skipped", self.scrub(reason.strip()), None
        self._stamp(entry)
        self._changed()

    def save_draft(self, key: str, values: dict[str, Any]) -> None:
        from tui.secrets import holds_lasting_secret  # here: a status read from plain JSON handles no secret (issue 11)

        if self.read_only:
            return
        ref = self.ref(key)
        secret_ids = ref.step.secret_field_ids
        own = {f.id for f in ref.step.fields} | {NOTE_DRAFT}  # another step's values (its secrets) never
        values = {k: v for k, v in values.items() if k in own}  # become this one's draft
        self._secrets.keep(key, {k: v for k, v in values.items() if k in secret_ids})
        draft = {k: self.scrub_value(v) if self.note_address_passwords(v) or holds_lasting_secret(v) else v
                 for k, v in values.items() if k not in secret_ids}
        entry = self.state.step(key)
        if entry.draft != draft:
            entry.draft = draft
            self._changed(soon=True, touch=False)

    def validate(self, key: str, values: dict[str, Any]) -> tuple[dict[str, Any], list[Finding]]:
        """The playbook's rules, plus: no password in an address of a stored field. A message never
        shows a secret, nor the password of an address (rules quote what was typed)."""
        import dataclasses  # here, like the rules: a status read from plain JSON never imports it (issue 11)

        from tui.playbook.rules import validate_values

        step = self.ref(key).step
        self._secrets.keep(key, {k: v for k, v in values.items() if k in step.secret_field_ids})
        refused = self.address_password_findings(key, values)  # first: it teaches scrub() what to mask
        cleaned, findings = validate_values(step, values, self.lang)
        # a url rule refuses the same address with the same message: shown once
        return cleaned, list(dict.fromkeys([dataclasses.replace(f, message=self.scrub(f.message)) for f in findings] + refused))

    def address_password_findings(self, key: str, values: dict[str, Any]) -> list[Finding]:
        """An error for each stored (non-secret) field whose value holds an address with a password
        (``http://user:password@proxy:8080``): stored, it would put the password on disk. The
        passwords found are masked by scrub() from now on."""
        from tui.playbook.rules import Finding

        message = t("rule.address_password", self.lang)
        step = self.playbook.step(key.partition("@")[0])  # also a scoped key whose administratie is still to come
        return [Finding(f.id, "error", message) for f in (step.fields if step else ())
                if not f.secret and self.note_address_passwords(values.get(f.id))]

    def submit(self, key: str, values: dict[str, Any]) -> list[Finding]:
        """Validate and record a form. Returns the findings; errors mean nothing was recorded."""
        ref = self._writable(key)
        cleaned, findings = self.validate(key, values)
        if any(f.level == "error" for f in findings):
            self.save_draft(key, values)
            return findings
        self._set_answers(key, cleaned)
        entry = self.state.step(key)
        if ref.step.kind == "form":
            entry.status = "done"
        self._stamp(entry)
        self._changed()
        return findings

    def record_answers(self, key: str, cleaned: dict[str, Any]) -> None:
        """Store validated answers (secrets stay in memory)."""
        self._set_answers(key, cleaned)
        self._changed()

    def record_all_answers(self, values: dict[str, dict[str, Any]]) -> None:
        """Store the validated answers of several steps (an answers file) with one save: on disk
        either all of them or, when a step is refused or the save fails, none."""
        source = self.playbook.administraties_ref()
        # the administraties first: the keys of the steps per administratie depend on them
        for key, cleaned in sorted(values.items(), key=lambda item: not source or item[0] != source[0]):
            self._set_answers(key, cleaned)
        self._changed()

    def _set_answers(self, key: str, cleaned: dict[str, Any]) -> None:
        ref = self.ref(key)
        refused = self.address_password_findings(key, cleaned)
        if refused:  # callers validate first; this guards the disk should one not
            raise SessionError(f"[{key}] {refused[0].field}: {refused[0].message}")
        secret_ids = ref.step.secret_field_ids
        self._secrets.keep(key, {k: v for k, v in cleaned.items() if k in secret_ids})
        entry = self.state.step(key)
        entry.answers = {k: v for k, v in cleaned.items() if k not in secret_ids}
        entry.draft = None
        source = self.playbook.administraties_ref()
        if source and source[0] == ref.step.id and source[1] in cleaned:
            self.state.administraties = list(dict.fromkeys(cleaned[source[1]] or []))

    def check_params(self, key: str) -> dict[str, Any]:
        """The check's parameters with ``{step:field}`` and ``{administratie}`` filled in (tui.state.params)."""
        return check_params(self.playbook, self.state, self._secrets, self.ref(key))

    def mark_running(self, key: str) -> StepState | None:
        """The step's run starts; returns its state before (for unmark_running). A status the admin
        closed (done, confirmed, skipped) is remembered: the run's result will not lower it."""
        self._writable(key)
        before = self.state.steps.get(key)
        before = before.model_copy() if before is not None else None
        entry = self.state.step(key)
        entry.before_run = entry.status if entry.status in CLOSED else None
        entry.status = "running"
        entry.started_at = now()
        entry.attempts += 1
        self._stamp(entry)
        try:
            self._changed()
        except SaveFailed:
            self.unmark_running(key, before)  # a run that cannot be recorded does not start
            raise
        return before

    def unmark_running(self, key: str, before: StepState | None) -> None:
        """Undo mark_running (its save failed): the step is as it was."""
        if before is None:
            self.state.steps.pop(key, None)
        else:
            self.state.steps[key] = before

    def record_result(self, key: str, result: CheckOutcome, log_lines: Iterable[str] = (), total: int = 0) -> None:
        """ok/warn -> done, fail -> failed, na -> open again: the admin confirms by hand. A step
        the admin had closed keeps its status: the result is its evidence and, when it did not pass,
        the step says so (``check_since``) until the admin decides."""
        entry = self.state.step(key)
        verdict = "done" if result.status in PASSED else "failed" if result.status == "fail" else "todo"
        held, entry.before_run = entry.before_run, None
        if held is not None and verdict != "done":
            entry.status, entry.check_since = held, result.status
        else:
            entry.status, entry.check_since = verdict, None
        from tui.state.model import StepResult

        entry.result = StepResult(
            status=result.status, message=self.scrub(result.message), hint=self.scrub(result.hint),
            evidence=self.scrub_value(result.evidence), duration_ms=result.duration_ms)
        self._keep_log(entry, list(log_lines), total)
        self._stamp(entry)
        self._changed()

    def record_cancel(self, key: str, log_lines: Iterable[str] = (), total: int = 0) -> None:
        entry = self.state.step(key)
        entry.status, entry.before_run = entry.before_run or "interrupted", None
        self._keep_log(entry, list(log_lines), total)
        self._stamp(entry)
        self._changed()

    def _keep_log(self, entry: StepState, lines: list[str], total: int) -> None:
        """The run's last lines, and how many it wrote in all (``total``: a run keeps a bounded tail)."""
        entry.log_tail = [self.scrub(line) for line in lines[-LOG_TAIL_LINES:]]
        entry.log_lines = max(total, len(lines))

    def scrub(self, text: str) -> str:
        """Mask any secret the admin typed in this session (in every spelling text may carry it:
        URL-encoded, escaped, in a Basic-authorization header) and any password in an address."""
        return self._secrets.scrub(text)

    def scrub_value(self, value: Any) -> Any:
        """scrub() through dicts and lists (a check's evidence, a report's data)."""
        return self._secrets.scrub_value(value)

    @staticmethod
    def note_address_passwords(value: Any) -> bool:
        """Whether ``value`` (a text, or a list or dict of them, e.g. a parsed answers file) holds
        an address with a password; each found is masked by scrub() from now on, also decoded."""
        return note_address_passwords(value)

    def one_save(self) -> ContextManager[None]:
        """Everything changed inside is one action and gets one save (see tui.state.saving)."""
        return self._saves.one_save()

    async def save_off_loop(self) -> None:
        """Write the changes of one action off the event loop; raises SaveFailed."""
        await self._saves.save_off_loop()

    def flush(self) -> None:
        self._saves.flush()

    def close(self) -> None:
        self._saves.close()

    # -- internals ---------------------------------------------------------------------------
    def _ref_for_write(self, key: str) -> StepRef:
        if self.read_only:
            raise ReadOnly(t("session.read_only", self.lang))
        return self.ref(key)

    def _writable(self, key: str) -> StepRef:
        ref = self._ref_for_write(key)
        waiting = self.blockers(key)
        if waiting:
            names = ", ".join(w.title(self.lang) for w in waiting)
            raise StepBlocked(t("session.waits_for", self.lang, names=names))
        return ref

    def _stamp(self, entry: StepState) -> None:
        entry.updated_at = now()
        entry.by = self.who

    def _changed(self, *, soon: bool = False, touch: bool = True) -> None:
        if touch:
            self.state.updated_at = now()
            self.state.updated_by = self.who
        self._saves.changed(soon=soon)


def open_session(home: str | Path | None = None, server: str | None = None, *, read_only: bool = False,
                 lang: str | None = None, playbook_path: str | Path | None = None) -> Session:
    """Resolve paths, load the playbook, open the server's state (taking its lock): the one road
    the CLI, the app and the tests take. Raises PlaybookError, BadServerName, StateInUse,
    StateUnavailable (the folder cannot be used) and SaveFailed (the state cannot be written)."""
    from tui.state.playbook_copy import load_kept
    from tui.playbooks import builtin_playbook_path
    from tui.state.paths import default_server, koppel_home, log_dir, safe_server_name
    from tui.state.store import StateStore

    root = koppel_home(home)
    playbook = load_kept(Path(playbook_path) if playbook_path else builtin_playbook_path(), root)  # its copy: issue 11
    name = safe_server_name(server) if server is not None else default_server()
    try:
        log_path = log_dir(root) / f"{name}.log"
        store = StateStore(root, name, read_only=read_only, app_version=__version__, lang=default_lang(lang))
        if not read_only and store.exists() and not os.access(store.path, os.W_OK):
            # said now, not at the first save; POSIX would even replace it (a rename ignores the mode)
            raise StateUnavailable(Phrase("state.read_only_file", name=name, path=store.path))
        state = store.open()
    except OSError as error:
        raise StateUnavailable(Phrase("state.folder_unusable", root=root, name=name, reason=OsReason(error, root))) from None
    if not state.playbook_id:
        state.playbook_id = playbook.id
    try:
        return Session(playbook, state, store, lang=default_lang(lang or state.lang), log_path=log_path)
    except SaveFailed:  # recording an interrupted run: the lock must not outlive this failure
        with suppress(OSError):
            store.close()
        raise
