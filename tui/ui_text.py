"""The app's own words in Dutch and English (the status marks live in tui.marks).

Playbook texts come from the playbook (``Text.get(lang)``); AccountView menu paths stay Dutch.
"""

from __future__ import annotations

from tui.marks import mark

__all__ = ["STATUSES", "TEXT", "mark", "t"]

STATUSES = ("todo", "running", "done", "confirmed", "failed", "skipped", "interrupted", "blocked")

TEXT: dict[str, tuple[str, str]] = {
    # statuses
    "status.todo": ("open", "to do"),
    "status.running": ("bezig", "running"),
    "status.done": ("gereed", "done"),
    "status.confirmed": ("met de hand bevestigd", "confirmed by hand"),
    "status.check_since": ("controle sindsdien: {result}", "check since: {result}"),
    "status.failed": ("mislukt", "failed"),
    "status.skipped": ("overgeslagen", "skipped"),
    "status.interrupted": ("onderbroken", "interrupted"),
    "status.blocked": ("geblokkeerd", "blocked"),
    # palette commands
    "cmd.goto": ("Ga naar stap", "Go to step"),
    "cmd.search": ("Zoek een opdracht of stap...", "Search for a command or step..."),
    # detail
    "detail.menu": ("Menu", "Menu"),
    "overview.title": ("Inleiding", "Introduction"),
    "overview.product": ("Product", "Product"),
    "overview.all_done": ("Alle stappen zijn gereed. koppel report maakt een overdrachtsrapport.",
                          "Every step is done. koppel report makes a hand-over report."),
    "overview.next": ("Druk op n voor de eerstvolgende open stap, of kies een stap in de lijst.",
                      "Press n for the next open step, or choose a step in the list."),
    "detail.waits_for": ("Deze stap wacht op", "This step waits for"),
    "detail.read_only": ("Alleen-lezen", "Read-only"),
    "detail.manual_note": ("Notitie (optioneel)", "Note (optional)"),
    "detail.submit_button": ("Opslaan", "Save"),
    "detail.rerun_button": ("Opnieuw uitvoeren", "Run again"),
    "detail.na": ("Controleer het zelf en bevestig de stap dan handmatig met spatie.",
                  "Check it yourself, then confirm the step manually with space."),
    "detail.interrupted": ("De controle is niet afgemaakt (geannuleerd, of koppel stopte): voer hem opnieuw "
                           "uit (r).",
                           "The check did not finish (cancelled, or koppel stopped): run it again (r)."),
    "detail.interrupted_manual": ("Deze stap was onderbroken.", "This step was interrupted."),
    "detail.skipped": ("Overgeslagen", "Skipped"),
    "detail.note": ("Notitie", "Note"),
    "detail.scoped": ("Per administratie: kies hieronder een administratie in de lijst.",
                      "Per administratie: choose an administratie under it in the list."),
    "detail.last_result": ("Laatste resultaat", "Last result"),
    "detail.previous_result": ("Resultaat van de uitvoering daarvoor", "Result of the run before"),
    "result.ok": ("OK", "OK"),
    "result.warn": ("WAARSCHUWING", "WARNING"),
    "result.fail": ("MISLUKT", "FAILED"),
    "result.na": ("N.V.T.", "N/A"),
    "detail.secret_hint": ("wordt niet opgeslagen", "never saved"),
    "detail.optional": ("optioneel", "optional"),
    "detail.required": ("verplicht", "required"),
    "detail.choose": ("Kies...", "Choose..."),
    # messages
    "msg.saved": ("Opgeslagen", "Saved"),
    "msg.not_saved": ("Niet opgeslagen", "Not saved"),
    "msg.saved_again": ("Weer opgeslagen: de voortgang staat op schijf.", "Saved again: the progress is on disk."),
    "msg.quit_unsaved": ("Maak ruimte vrij (of los het op) en stop opnieuw. Stopt u nu nogmaals, dan gaan de "
                         "laatste wijzigingen verloren.",
                         "Free some space (or fix it) and quit again. Quit once more now and the last changes "
                         "are lost."),
    "msg.form_errors": ("Het formulier bevat fouten: niets opgeslagen.", "The form has errors: nothing saved."),
    "msg.no_copy": ("Niets te kopiëren bij deze stap.", "Nothing to copy for this step."),
    "msg.copied": ("Gekopieerd naar het klembord", "Copied to the clipboard"),
    "msg.copied_by_check": ("{what} gekopieerd ({n} tekens): plak het waar de stap het vraagt.",
                            "{what} copied ({n} characters): paste it where the step asks for it."),
    "copy.licence_text": ("Licentietekst", "Licence text"),
    "copy.text": ("Tekst", "Text"),
    "msg.cancelled": ("Controle geannuleerd", "Check cancelled"),
    "msg.run_all": ("{n} controles gestart", "{n} checks started"),
    "msg.run_all_none": ("Geen controles om uit te voeren.", "No checks to run."),
    "msg.worker_failed": ("Fout in koppel", "koppel error"),
    "msg.quit_hint": ("Stoppen met q, Ctrl+Q of F10. Alles is al opgeslagen.",
                      "Quit with q, Ctrl+Q or F10. Everything is already saved."),
    "msg.interrupted": ("{n} stap(pen) liepen nog toen koppel stopte; voer ze opnieuw uit.",
                        "{n} step(s) were still running when koppel stopped; run them again."),
    "msg.lang": ("Taal: Nederlands", "Language: English"),
    "msg.ascii_on": ("ASCII-modus aan", "ASCII mode on"),
    "msg.ascii_off": ("ASCII-modus uit", "ASCII mode off"),
    "msg.fields_first": ("Verbeter eerst de velden.", "Correct the fields first."),
    # why a key does nothing here (the keys table's reasons)
    "why.no_step": ("Kies eerst een stap in de lijst.", "Choose a step in the list first."),
    "why.read_only": ("Alleen-lezen: hier verandert niets.", "Read-only: nothing changes here."),
    "why.form_enter": ("Een formulier slaat u op met Enter in een veld.", "A form is saved with Enter in a field."),
    "why.waits": ("Deze stap wacht op: {names}", "This step waits for: {names}"),
    "why.busy": ("De controle van deze stap loopt nog (Esc annuleert).",
                 "This step's check is still running (Esc cancels)."),
    "why.no_check": ("Deze stap heeft geen controle om uit te voeren.", "This step has no check to run."),
    "why.all_done": ("Alle stappen zijn gereed.", "Every step is done."),
    "why.not_optional": ("Deze stap is niet optioneel.", "This step is not optional."),
    "why.no_copy": ("Niets te kopiëren bij deze stap.", "Nothing to copy for this step."),
    "why.copying": ("Het kopiëren loopt nog.", "Still copying."),
    # dialogs
    "dlg.yes": ("Ja", "Yes"),
    "dlg.no": ("Nee", "No"),
    "dlg.ok": ("OK", "OK"),
    "dlg.cancel": ("Annuleren", "Cancel"),
    "dlg.reopen": ("'{title}' heropenen? De stap gaat terug naar open.",
                   "Reopen '{title}'? The step goes back to open."),
    "dlg.confirm_check": ("'{title}' als gereed markeren zonder geslaagde controle?",
                          "Mark '{title}' as done without a passing check?"),
    "dlg.skip_title": ("'{title}' overslaan", "Skip '{title}'"),
    "dlg.skip_reason": ("Reden (verplicht)", "Reason (required)"),
    "dlg.skip_empty": ("Geef een reden op.", "Give a reason."),
    # help / too small
    "help.title": ("Help: toetsen", "Help: keys"),
    "help.here": ("Hier", "Here"),
    "help.keys": ("Alle toetsen", "All keys"),
    "help.close": ("Esc, F1 of q sluit deze help.", "Esc, F1 or q closes this help."),
    "help.tree": ("De checklist: pijltjes of j/k bewegen, links/rechts klapt secties in en uit, "
                  "Enter opent de stap rechts. Tab gaat naar de tekst van de stap; daar scrollen de pijltjes.",
                  "The checklist: arrows or j/k move, left/right collapse and expand sections, "
                  "Enter opens the step on the right. Tab moves to the step's text; arrows scroll it there."),
    "help.input": ("Een invoerveld: typ de waarde; de controle staat direct eronder. Tab gaat naar het "
                   "volgende veld, Enter slaat het formulier op, Esc gaat terug naar de lijst.",
                   "An input field: type the value; its validation shows right under it. Tab moves to "
                   "the next field, Enter submits the form, Esc goes back to the list."),
    "help.log": ("Het logboek van de controle: pijltjes omhoog/omlaag scrollen, Home/End naar begin en eind. "
                 "Een lange regel loopt door op de volgende, ingesprongen. Esc annuleert een lopende controle.",
                 "The check's log: up/down arrows scroll, Home/End go to the start and the end. A long line "
                 "continues on the next, indented. Esc cancels a running check."),
    "help.select": ("Een keuzelijst: Enter of spatie opent hem, pijltjes kiezen, Enter bevestigt. Tab gaat "
                    "naar het volgende veld, Esc gaat terug naar de lijst.",
                    "A choice list: Enter or space opens it, arrows choose, Enter confirms. Tab moves to the "
                    "next field, Esc goes back to the list."),
    "help.other": ("Tab en Shift+Tab gaan langs de velden en knoppen.",
                   "Tab and Shift+Tab move between fields and buttons."),
    "help.palette": ("Opdrachten (ctrl+p), ook zonder eigen toets", "Commands (ctrl+p), also those without a key of their own"),
    "help.statuses": ("Statustekens", "Status marks"),
    "small.title": ("Terminal te klein", "Terminal too small"),
    "small.body": ("{cw}x{ch}, nodig {w}x{h}.\nCtrl+Q stopt (alles is opgeslagen).\nOf maak het venster "
                   "groter.",
                   "{cw}x{ch}, needed {w}x{h}.\nCtrl+Q quits (everything is saved).\nOr make the window "
                   "larger."),
    "header.progress": ("gereed", "done"),
    "header.unsaved": ("NIET OPGESLAGEN", "NOT SAVED"),
    "log.empty": ("(de controle schreef geen uitvoer)", "(the check wrote no output)"),
    # headless commands (koppel status, report, check, answers, reset)
    "server.this_machine": ("server {name} (deze machine; een andere: --server)",
                            "server {name} (this machine; another: --server)"),
    "server.only": ("server {name} (de enige bekende; een andere: --server)",
                    "server {name} (the only one known; another: --server)"),
    "server.last_used": ("server {name} (de laatst gebruikte van {n}: {known}; een andere: --server)",
                         "server {name} (the last one used of {n}: {known}; another: --server)"),
    "server.new": ("server {name} (deze machine, nog zonder voortgang)",
                   "server {name} (this machine, no progress yet)"),
    "server.no_state": ("geen voortgang voor {name}; bekend: {known}", "no state for {name}; known: {known}"),
    "server.none_known": ("nog geen (start koppel om te beginnen)", "none yet (start koppel to begin)"),
    "reset.needs_yes": ("reset vergeet alle voortgang van {name}: voeg --yes toe om te bevestigen",
                        "reset forgets all progress of {name}: add --yes to confirm"),
    "reset.done": ("vergeten: {name} ({done}/{total} gereed; verwijderd: {files})",
                   "forgot {name} ({done}/{total} done; removed: {files})"),
    "check.unknown_id": ("geen automatische controle met id {ids}{hint}; geldig: {valid}",
                         "no automated check with id {ids}{hint}; valid: {valid}"),
    "check.did_you_mean": (" (bedoelt u '{name}'?)", " (did you mean '{name}'?)"),
    "check.not_recorded": ("{why}; de resultaten worden niet vastgelegd", "{why}; results are not recorded"),
    "import.done": ("{n} stappen vooraf ingevuld voor {name}", "{n} steps pre-filled for {name}"),
}


def t(key: str, lang: str, **values: object) -> str:
    """The text for ``key`` in ``lang`` (Dutch unless English), with ``{name}`` values filled in."""
    nl, en = TEXT[key]
    text = en if lang == "en" else nl
    return text.format(**values) if values else text
