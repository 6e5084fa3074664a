"""One admin's session on one server: the playbook, its per-server state, and every operation on it.

The UI and the headless commands both go through this class; it never imports Textual. Secrets
(fields of type ``secret``) live only in memory here and are scrubbed from anything recorded; so is
a password written into an address (``http://user:password@proxy``), which a stored field refuses.
"""

from __future__ import annotations

import asyncio
import dataclasses
import locale
import os
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Protocol

from tui import __version__
from tui.secrets import remember, scrub_text, scrub_value
from tui.playbook.model import Playbook, Section, Step
from tui.state.counts import CLOSED, UNSEEN, Tally, tally
from tui.state.model import LOG_TAIL_LINES, ServerState, StepResult, StepState, now

if TYPE_CHECKING:
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


class SessionError(Exception):
    """An operation the admin asked for that the checklist does not allow; str() says why."""


class StepBlocked(SessionError):
    pass


class NotOptional(SessionError):
    pass


class ReadOnly(SessionError):
    pass


class SaveFailed(SessionError):
    """The state could not be written (a full disk, a read-only folder); the file on disk is the
    previous version and the change is kept in memory, to be written with the next save."""


class StateUnavailable(SessionError):
    """koppel's folder or the server's state file cannot be opened for use."""


@dataclass(frozen=True)
class StepRef:
    """A step as it appears in the checklist: once, or once per administratie when scoped."""

    step: Step
    section: Section
    administratie: str | None = None

    @property
    def key(self) -> str:
        return f"{self.step.id}@{self.administratie}" if self.administratie else self.step.id

    def title(self, lang: str) -> str:
        title = self.step.title.get(lang)
        return f"{title} ({self.administratie})" if self.administratie else title


@dataclass(frozen=True)
class WelcomeBack:
    done: int
    total: int
    last_at: datetime
    last_by: str | None
    cursor_title: str | None

    def message(self, lang: str, at: datetime | None = None) -> str:
        ago = humanize_ago((at or now()) - self.last_at, lang)
        by = f" door {self.last_by}" if lang != "en" else f" by {self.last_by}"
        if lang == "en":
            return f"Welcome back: {self.done}/{self.total} done, last worked {ago}{by if self.last_by else ''}"
        return f"Welkom terug: {self.done}/{self.total} gereed, laatst gewerkt {ago}{by if self.last_by else ''}"


def humanize_ago(delta: Any, lang: str) -> str:
    seconds = max(0, int(delta.total_seconds()))
    units = [(86400, "dag", "dagen", "day", "days"), (3600, "uur", "uur", "hour", "hours"),
             (60, "minuut", "minuten", "minute", "minutes")]
    for size, nl_one, nl_many, en_one, en_many in units:
        if seconds >= size:
            count = seconds // size
            if lang == "en":
                return f"{count} {en_one if count == 1 else en_many} ago"
            return f"{count} {nl_one if count == 1 else nl_many} geleden"
    return "just now" if lang == "en" else "zojuist"


def default_lang(explicit: str | None = None) -> str:
    """--lang, then KOPPEL_LANG, then the admin's locale; Dutch when in doubt."""
    for candidate in (explicit, os.environ.get("KOPPEL_LANG")):
        if candidate in ("nl", "en"):
            return candidate
    return "en" if _locale_name().lower().startswith("en") else "nl"


def _locale_name() -> str:
    if os.name == "nt":  # "English_United States" / "Dutch_Netherlands", from the user's settings
        try:
            return locale.getlocale()[0] or ""
        except ValueError:
            return ""
    # POSIX: the variables themselves, as Python maps C/POSIX (no language chosen) to en_US
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return value
    return ""


class Session:
    def __init__(self, playbook: Playbook, state: ServerState, store: StateStore | None = None,
                 *, lang: str = "nl", who: str | None = None, log_path: Path | None = None) -> None:
        from tui.state.paths import who as current_who

        self.playbook = playbook
        self.state = state
        self.store = store
        self.lang = lang
        self.who = who or current_who()
        self.log_path = log_path  # the server's full check log; the state keeps only a tail
        self._secrets: dict[str, dict[str, str]] = {}
        self._holding = 0  # inside one_save(): changes wait for the action's one save
        self._dirty = False  # changed since the last save of an action
        self._refs: list[StepRef] = []
        self._refs_of: list[str] | None = None  # the administraties list the refs were built for
        self._by_key: dict[str, StepRef] = {}
        self._position: dict[str, int] = {}
        self._by_step: dict[str, list[StepRef]] = {}
        self._by_section: dict[str, list[StepRef]] = {}
        self.interrupted: list[str] = self._mark_interrupted()

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
        if self._refs_of is not self.state.administraties:
            self._build_refs()
        return self._refs

    def _build_refs(self) -> None:
        administraties = self.state.administraties
        refs: list[StepRef] = []
        for section in self.playbook.sections:
            for step in section.steps:
                if step.scope == "administratie" and administraties:
                    refs.extend(StepRef(step, section, adm) for adm in administraties)
                else:
                    refs.append(StepRef(step, section))
        self._refs, self._refs_of = refs, administraties
        self._by_key = {ref.key: ref for ref in refs}
        self._position = {ref.key: i for i, ref in enumerate(refs)}
        self._by_step, self._by_section = {}, {}
        for ref in refs:
            self._by_step.setdefault(ref.step.id, []).append(ref)
            self._by_section.setdefault(ref.section.id, []).append(ref)

    def ref(self, key: str) -> StepRef:
        self.refs()
        try:
            return self._by_key[key]
        except KeyError:
            raise SessionError(f"unknown step '{key}'") from None

    def has(self, key: str) -> bool:
        self.refs()
        return key in self._by_key

    def step_state(self, key: str) -> StepState:
        return self.state.peek(key)

    def blockers(self, key: str) -> list[StepRef]:
        ref = self.ref(key)
        waiting: list[StepRef] = []
        required = list(ref.step.requires)
        source = self._administraties_step()
        if ref.step.scope == "administratie" and not self.state.administraties and source:
            required.append(source.id)
        for step_id in required:
            for other in self._by_step.get(step_id, ()):
                same_scope = other.administratie in (None, ref.administratie) or ref.administratie is None
                if same_scope and self.state.peek(other.key).status not in CLOSED:
                    waiting.append(other)
        return waiting

    def status(self, key: str) -> str:
        stored = self.state.peek(key).status
        if stored in CLOSED or stored == "running":
            return stored
        return "blocked" if self.blockers(key) else stored

    def count(self, refs: Iterable[StepRef] | None = None) -> Tally:
        """How far the checklist (or ``refs`` of it) is: the one count everything shows (tui.state.counts)."""
        steps = self.state.steps
        return tally(steps.get(r.key, UNSEEN) for r in (self.refs() if refs is None else refs))

    def section_count(self, section_id: str) -> Tally:
        self.refs()
        return self.count(self._by_section.get(section_id, ()))

    def progress(self, refs: Iterable[StepRef] | None = None) -> tuple[int, int]:
        count = self.count(refs)
        return count.done, count.total

    def section_progress(self, section_id: str) -> tuple[int, int]:
        count = self.section_count(section_id)
        return count.done, count.total

    def next_open(self, from_key: str | None = None, backwards: bool = False) -> str | None:
        """The next step still to do (unblocked first), going round the list once: one pass that
        stops at the first unblocked open step."""
        refs = self.refs()
        count = len(refs)
        here = self._position.get(from_key) if from_key is not None else None
        start = here if here is not None else (-1 if not backwards else count)
        step = -1 if backwards else 1
        first_blocked = None
        for i in range(1, count + 1):
            key = refs[(start + i * step) % count].key
            status = self.status(key)
            if status in CLOSED:
                continue
            if status != "blocked":
                return key
            first_blocked = first_blocked or key
        return first_blocked

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
        values.update(self._secrets.get(key, {}))
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

    def confirm(self, key: str, note: str = "") -> None:
        ref = self._writable(key)
        if ref.step.kind == "form":
            raise SessionError(self._t("Vul het formulier in en bevestig met Enter.",
                                       "Fill in the form and submit it with Enter."))
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
            raise NotOptional(self._t(f"'{ref.title('nl')}' is niet optioneel en kan niet worden overgeslagen.",
                                      f"'{ref.title('en')}' is not optional and cannot be skipped."))
        if not reason.strip():
            raise SessionError(self._t("Geef een reden op.", "Give a reason."))
        entry = self.state.step(key)
        entry.status, entry.skip_reason, entry.check_since = "skipped", self.scrub(reason.strip()), None
        self._stamp(entry)
        self._changed()

    def save_draft(self, key: str, values: dict[str, Any]) -> None:
        if self.read_only:
            return
        ref = self.ref(key)
        secret_ids = ref.step.secret_field_ids
        self._remember_secrets(key, {k: v for k, v in values.items() if k in secret_ids})
        draft = {k: self.scrub_value(v) if self.note_address_passwords(v) else v
                 for k, v in values.items() if k not in secret_ids}
        entry = self.state.step(key)
        if entry.draft != draft:
            entry.draft = draft
            self._changed(soon=True, touch=False)

    def validate(self, key: str, values: dict[str, Any]) -> tuple[dict[str, Any], list[Finding]]:
        """The playbook's rules, plus: no password in an address of a stored field. A message never
        shows a secret, nor the password of an address (rules quote what was typed)."""
        from tui.playbook.rules import validate_values

        step = self.ref(key).step
        self._remember_secrets(key, {k: v for k, v in values.items() if k in step.secret_field_ids})
        refused = self.address_password_findings(key, values)  # first: it teaches scrub() what to mask
        cleaned, findings = validate_values(step, values, self.lang)
        # a url rule refuses the same address with the same message: shown once
        return cleaned, list(dict.fromkeys([dataclasses.replace(f, message=self.scrub(f.message)) for f in findings] + refused))

    def address_password_findings(self, key: str, values: dict[str, Any]) -> list[Finding]:
        """An error for each stored (non-secret) field whose value holds an address with a password
        (``http://user:password@proxy:8080``): stored, it would put the password on disk. The
        passwords found are masked by scrub() from now on."""
        from tui.playbook.rules import ADDRESS_PASSWORD_EN, ADDRESS_PASSWORD_NL, Finding

        message = self._t(ADDRESS_PASSWORD_NL, ADDRESS_PASSWORD_EN)
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
        self._remember_secrets(key, {k: v for k, v in cleaned.items() if k in secret_ids})
        entry = self.state.step(key)
        entry.answers = {k: v for k, v in cleaned.items() if k not in secret_ids}
        entry.draft = None
        source = self.playbook.administraties_ref()
        if source and source[0] == ref.step.id and source[1] in cleaned:
            self.state.administraties = list(dict.fromkeys(cleaned[source[1]] or []))

    def check_params(self, key: str) -> dict[str, Any]:
        """The check's parameters with ``{step:field}`` and ``{administratie}`` filled in;
        unanswered ones are left out so the check's own default applies."""
        ref = self.ref(key)
        if ref.step.check is None:
            return {}
        return ref.step.check.resolve(lambda step_id, field_id: self._answer(step_id, field_id, ref),
                                      ref.administratie)

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

    def record_result(self, key: str, result: CheckOutcome, log_lines: Iterable[str] = ()) -> None:
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
        entry.result = StepResult(
            status=result.status, message=self.scrub(result.message), hint=self.scrub(result.hint),
            evidence=self.scrub_value(result.evidence), duration_ms=result.duration_ms)
        entry.log_tail = [self.scrub(line) for line in list(log_lines)[-LOG_TAIL_LINES:]]
        self._stamp(entry)
        self._changed()

    def record_cancel(self, key: str, log_lines: Iterable[str] = ()) -> None:
        entry = self.state.step(key)
        entry.status, entry.before_run = entry.before_run or "interrupted", None
        entry.log_tail = [self.scrub(line) for line in list(log_lines)[-LOG_TAIL_LINES:]]
        self._stamp(entry)
        self._changed()

    def scrub(self, text: str) -> str:
        """Mask any secret the admin typed in this session (in every spelling text may carry it:
        URL-encoded, escaped, in a Basic-authorization header) and any password in an address."""
        self._remember_users()
        return scrub_text(text)

    def note_address_passwords(self, value: Any) -> bool:
        """Whether ``value`` (a text, or a list or dict of them, e.g. a parsed answers file) holds
        an address with a password; each found is masked by scrub() from now on, also decoded."""
        from urllib.parse import unquote

        found = _address_passwords(value)
        for written in found:
            remember(written)
            remember(unquote(written))
        return bool(found)

    def scrub_value(self, value: Any) -> Any:
        """scrub() through dicts and lists (a check's evidence, a report's data)."""
        self._remember_users()
        return scrub_value(value)

    @contextmanager
    def one_save(self) -> Iterator[None]:
        """Everything changed inside is one action and gets one save: the caller's save_off_loop()
        (or the next save); meanwhile the store's saver has it, so nothing is ever left unsaved."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
            if not self._holding and self._dirty and self.store is not None and not self.read_only:
                self.store.schedule_save(self.state)

    async def save_off_loop(self) -> None:
        """Write the changes of one action: serialized here, written and fsynced in a worker thread,
        so the event loop never waits for the disk. Raises SaveFailed (the change stays in memory
        and is written again later)."""
        if not self._dirty or self.store is None or self.read_only:
            return
        self._dirty = False
        write = self.store.prepare_save(self.state)
        try:
            with self._saving():
                await asyncio.to_thread(write)
        except SaveFailed:
            self._dirty = True
            self.store.schedule_save(self.state)
            raise

    def words(self, nl: str, en: str) -> str:
        """The admin's language."""
        return self._t(nl, en)

    def flush(self) -> None:
        if self.store is not None:
            with self._saving():
                self.store.flush()

    def close(self) -> None:
        if self.store is not None:
            with self._saving(closing=True):
                self.store.close()

    # -- internals ---------------------------------------------------------------------------
    def _t(self, nl: str, en: str) -> str:
        return en if self.lang == "en" else nl

    def _administraties_step(self) -> Step | None:
        source = self.playbook.administraties_ref()
        return self.playbook.step(source[0]) if source else None

    def _mark_interrupted(self) -> list[str]:
        keys = [key for key, entry in self.state.steps.items() if entry.status == "running"]
        for key in keys:  # a step the admin had closed stays closed; any other run was interrupted
            entry = self.state.steps[key]
            entry.status, entry.before_run = entry.before_run or "interrupted", None
        if keys and not self.read_only:
            self._changed(touch=False)
        return keys

    def _ref_for_write(self, key: str) -> StepRef:
        if self.read_only:
            raise ReadOnly(self._t("Alleen-lezen: deze status is in gebruik of van een nieuwere koppel.",
                                   "Read-only: this state is in use or from a newer koppel."))
        return self.ref(key)

    def _writable(self, key: str) -> StepRef:
        ref = self._ref_for_write(key)
        waiting = self.blockers(key)
        if waiting:
            names = ", ".join(w.title(self.lang) for w in waiting)
            raise StepBlocked(self._t(f"Deze stap wacht op: {names}", f"This step waits for: {names}"))
        return ref

    def _remember_secrets(self, key: str, secrets: dict[str, Any]) -> None:
        kept = {k: str(v) for k, v in secrets.items() if v not in (None, "")}
        for field_id, secret in kept.items():
            remember(secret, slot=(key, field_id))
        if kept:
            self._secrets.setdefault(key, {}).update(kept)

    def _remember_users(self) -> None:
        """The user names typed beside each secret, for its Basic-authorization spelling: the step's
        current answers (a user name may be typed after the password)."""
        for key, secrets in self._secrets.items():
            stored = self.state.peek(key)
            users = [v for v in {**stored.answers, **(stored.draft or {})}.values() if isinstance(v, str)]
            for field_id, secret in secrets.items():
                remember(secret, users, slot=(key, field_id))

    def _answer(self, step_id: str, field_id: str, ref: StepRef) -> Any:
        keys = [f"{step_id}@{ref.administratie}", step_id] if ref.administratie else [step_id]
        for key in keys:
            if field_id in self._secrets.get(key, {}):
                return self._secrets[key][field_id]
            stored = self.state.peek(key)
            # the step's own unsubmitted input counts: the admin may run a check straight away
            sources = [stored.draft or {}, stored.answers] if key == ref.key else [stored.answers]
            for source in sources:
                if field_id in source:
                    return source[field_id]
        step = self.playbook.step(step_id)
        field = step.field(field_id) if step else None
        return field.default if field else None

    def _stamp(self, entry: StepState) -> None:
        entry.updated_at = now()
        entry.by = self.who

    def _changed(self, *, soon: bool = False, touch: bool = True) -> None:
        if touch:
            self.state.updated_at = now()
            self.state.updated_by = self.who
        if self.store is None or self.read_only:
            return
        if soon:
            self.store.schedule_save(self.state)
            return
        self._dirty = True
        if self._holding:  # one_save(): the action's one save comes at its end
            return
        self._dirty = False
        try:
            with self._saving():
                self.store.save(self.state)
        except SaveFailed:
            self.store.schedule_save(self.state)  # written as soon as the disk lets it (at the latest: close)
            raise

    @contextmanager
    def _saving(self, closing: bool = False) -> Iterator[None]:
        """A failed write (full disk, read-only folder, a file held open) as one clear SaveFailed."""
        try:
            yield
        except OSError as error:
            assert self.store is not None
            reason = describe_os_error(error, self.store.path.parent)
            kept = self._t("de laatste wijzigingen zijn niet bewaard", "the last changes were not saved") if closing \
                else self._t("de wijziging blijft bewaard zolang koppel draait", "the change is kept while koppel runs")
            raise SaveFailed(self._t(
                f"Kon de voortgang van {self.state.server} niet opslaan: {reason}. Het bestand op schijf "
                f"is de vorige versie; {kept}.",
                f"Could not save the progress of {self.state.server}: {reason}. The file on disk is the "
                f"previous version; {kept}.")) from None


def _address_passwords(value: Any) -> list[str]:
    """Passwords written into addresses in a field value (a text or a list of them), also in the
    scheme-less ``user:password@proxy:8080`` an admin may type in a proxy field."""
    from tui.secrets import url_passwords

    if isinstance(value, dict):
        return [found for item in value.values() for found in _address_passwords(item)]
    if isinstance(value, (list, tuple)):
        return [found for item in value for found in _address_passwords(item)]
    if not isinstance(value, str):
        return []
    text = value.strip()
    bare = "://" not in text and not any(char.isspace() or char == "\\" for char in text)  # not a Windows path
    return url_passwords("http://" + text if bare else text)


def describe_os_error(error: OSError, folder: Path | None = None) -> str:
    """One line for a file-system failure that names what the admin can act on: the file that is in
    the way of a folder, the folder rather than a temp file koppel was writing in it."""
    reason = error.strerror or type(error).__name__
    where = Path(error.filename) if error.filename else None
    if where is not None and isinstance(error, (NotADirectoryError, FileExistsError)):
        in_the_way = next((p for p in (where, *where.parents) if p.exists() and not p.is_dir()), None)
        if in_the_way is not None:
            return f"{in_the_way} is a file, not a folder"
    if where is not None and isinstance(error, PermissionError) and where.is_dir():
        reason = "Is a directory"  # Windows refuses to open a folder as a file with "Permission denied"
    if where is not None and where.name.endswith(".tmp"):
        where = where.parent  # a write in progress: the folder is what refuses it
    if where is None:
        where = folder
    return f"{reason}: {where}" if where is not None else reason


def open_session(home: str | Path | None = None, server: str | None = None, *, read_only: bool = False,
                 lang: str | None = None, playbook_path: str | Path | None = None) -> Session:
    """Resolve paths, load the playbook, open the server's state (taking its lock): the one road
    the CLI, the app and the tests take. Raises PlaybookError, BadServerName, StateInUse,
    StateUnavailable (the folder cannot be used) and SaveFailed (the state cannot be written)."""
    from tui.playbook.loader import load_builtin, load_playbook
    from tui.state.paths import default_server, koppel_home, log_dir, safe_server_name
    from tui.state.store import StateStore

    playbook = load_playbook(Path(playbook_path)) if playbook_path else load_builtin()
    name = safe_server_name(server) if server is not None else default_server()
    root = koppel_home(home)
    try:
        log_path = log_dir(root) / f"{name}.log"
        store = StateStore(root, name, read_only=read_only, app_version=__version__)
        if not read_only and store.exists() and not os.access(store.path, os.W_OK):
            # said now, not at the first save; POSIX would even replace it (a rename ignores the mode)
            raise StateUnavailable(f"the state of server {name} cannot be changed: {store.path} is read-only")
        state = store.open()
    except OSError as error:
        raise StateUnavailable(f"cannot use koppel's folder {root} for server {name}: "
                               f"{describe_os_error(error, root)}") from None
    if not state.playbook_id:
        state.playbook_id = playbook.id
    try:
        return Session(playbook, state, store, lang=default_lang(lang or state.lang), log_path=log_path)
    except SaveFailed:  # recording an interrupted run: the lock must not outlive this failure
        with suppress(OSError):
            store.close()
        raise
