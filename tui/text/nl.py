"""The app's words in Dutch, the source language (the playbook's texts come from the playbook)."""

from __future__ import annotations

TEXT: dict[str, str] = {
    # statuses
    "status.todo": "open",
    "status.running": "bezig",
    "status.done": "gereed",
    "status.failed": "mislukt",
    "status.confirmed": "met de hand bevestigd",
    "status.check_since": "controle sindsdien: {result}",
    "status.skipped": "overgeslagen",
    "status.interrupted": "onderbroken",
    "status.blocked": "geblokkeerd",
    # palette commands
    "cmd.goto": "Ga naar stap",
    "cmd.search": "Zoek een opdracht of stap...",
    # detail
    "detail.menu": "Menu",
    "overview.title": "Inleiding",
    "overview.product": "Product",
    "overview.all_done": "Alle stappen zijn gereed. koppel report maakt een overdrachtsrapport.",
    "overview.next": "Druk op n voor de eerstvolgende open stap, of kies een stap in de lijst.",
    "detail.waits_for": "Deze stap wacht op",
    "detail.read_only": "Alleen-lezen",
    "detail.manual_note": "Notitie (optioneel)",
    "detail.submit_button": "Opslaan",
    "detail.rerun_button": "Opnieuw uitvoeren",
    "detail.na": "Controleer het zelf en bevestig de stap dan handmatig met spatie.",
    "detail.interrupted": "De controle is niet afgemaakt (geannuleerd, of koppel stopte): voer hem opnieuw uit (r).",
    "detail.interrupted_manual": "Deze stap was onderbroken.",
    "detail.skipped": "Overgeslagen",
    "detail.note": "Notitie",
    "detail.scoped": "Per administratie: kies hieronder een administratie in de lijst.",
    "detail.last_result": "Laatste resultaat",
    "detail.previous_result": "Resultaat van de uitvoering daarvoor",
    "result.ok": "OK",
    "result.warn": "WAARSCHUWING",
    "result.fail": "MISLUKT",
    "result.na": "N.V.T.",
    "detail.secret_hint": "wordt niet opgeslagen",
    "detail.optional": "optioneel",
    "detail.required": "verplicht",
    "detail.choose": "Kies...",
    # messages
    "msg.saved": "Opgeslagen",
    "msg.not_saved": "Niet opgeslagen",
    "msg.welcome": "Welkom terug: laatst gewerkt {ago}",
    "msg.welcome_by": "Welkom terug: laatst gewerkt {ago} door {by}",
    "msg.saved_again": "Weer opgeslagen: de voortgang staat op schijf.",
    "msg.quit_unsaved": (
        "Maak ruimte vrij (of los het op) en stop opnieuw. Stopt u nu nogmaals, dan gaan de laatste "
        "wijzigingen verloren."
    ),
    "msg.form_errors": "Het formulier bevat fouten: niets opgeslagen.",
    "msg.no_copy": "Niets te kopiëren bij deze stap.",
    "msg.copied": "Gekopieerd naar het klembord",
    "msg.copied_by_check": "{what} gekopieerd ({n} tekens): plak het waar de stap het vraagt.",
    "copy.licence_text": "Licentietekst",
    "copy.text": "Tekst",
    "msg.cancelled": "Controle geannuleerd",
    "msg.run_all": "{n} controles gestart",
    "msg.run_all_none": "Geen controles om uit te voeren.",
    "msg.worker_failed": "Fout in koppel",
    "msg.quit_hint": "Stoppen met q, Ctrl+Q of F10. Alles is al opgeslagen.",
    "msg.interrupted": "{n} stap(pen) liepen nog toen koppel stopte; voer ze opnieuw uit.",
    "msg.lang": "Taal: Nederlands",
    "msg.ascii_on": "ASCII-modus aan",
    "msg.ascii_off": "ASCII-modus uit",
    "msg.fields_first": "Verbeter eerst de velden.",
    # why a key does nothing here (the keys table's reasons)
    "why.no_step": "Kies eerst een stap in de lijst.",
    "why.read_only": "Alleen-lezen: hier verandert niets.",
    "why.form_enter": "Een formulier slaat u op met Enter in een veld.",
    "why.waits": "Deze stap wacht op: {names}",
    "why.busy": "De controle van deze stap loopt nog (Esc annuleert).",
    "why.no_check": "Deze stap heeft geen controle om uit te voeren.",
    "why.all_done": "Alle stappen zijn gereed.",
    "why.not_optional": "Deze stap is niet optioneel.",
    "why.no_copy": "Niets te kopiëren bij deze stap.",
    "why.copying": "Het kopiëren loopt nog.",
    # dialogs
    "dlg.yes": "Ja",
    "dlg.no": "Nee",
    "dlg.ok": "OK",
    "dlg.cancel": "Annuleren",
    "dlg.reopen": "'{title}' heropenen? De stap gaat terug naar open.",
    "dlg.confirm_check": "'{title}' als gereed markeren zonder geslaagde controle?",
    "dlg.skip_title": "'{title}' overslaan",
    "dlg.skip_reason": "Reden (verplicht)",
    "dlg.skip_empty": "Geef een reden op.",
    # help / too small
    "help.title": "Help: toetsen",
    "help.here": "Hier",
    "help.keys": "Alle toetsen",
    "help.close": "Esc, F1 of q sluit deze help.",
    "help.tree": (
        "De checklist: pijltjes of j/k bewegen, links/rechts klapt secties in en uit, Enter opent de stap "
        "rechts. Tab gaat naar de tekst van de stap; daar scrollen de pijltjes."
    ),
    "help.input": (
        "Een invoerveld: typ de waarde; de controle staat direct eronder. Tab gaat naar het volgende veld, "
        "Enter slaat het formulier op, Esc gaat terug naar de lijst."
    ),
    "help.log": (
        "Het logboek van de controle: pijltjes omhoog/omlaag scrollen, Home/End naar begin en eind. Een "
        "lange regel loopt door op de volgende, ingesprongen. Esc annuleert een lopende controle."
    ),
    "help.select": (
        "Een keuzelijst: spatie of een pijltje opent hem, pijltjes kiezen, Enter kiest. Enter op de gesloten "
        "lijst slaat het formulier op. Tab gaat naar het volgende veld, Esc gaat terug naar de lijst."
    ),
    "help.other": "Tab en Shift+Tab gaan langs de velden en knoppen.",
    "help.palette": "Opdrachten (ctrl+p), ook zonder eigen toets",
    "help.statuses": "Statustekens",
    "small.title": "Terminal te klein",
    "small.body": "{cw}x{ch}, nodig {w}x{h}.\nCtrl+Q stopt (alles is opgeslagen).\nOf maak het venster groter.",
    "header.progress": "gereed",
    "header.unsaved": "NIET OPGESLAGEN",
    "log.empty": "(de controle schreef geen uitvoer)",
    # headless commands (koppel status, report, check, answers, reset)
    "server.this_machine": "server {name} (deze machine; een andere: --server)",
    "server.only": "server {name} (de enige bekende; een andere: --server)",
    "server.last_used": "server {name} (de laatst gebruikte van {n}: {known}; een andere: --server)",
    "server.new": "server {name} (deze machine, nog zonder voortgang)",
    "server.no_state": "geen voortgang voor {name}; bekend: {known}",
    "server.none_known": "nog geen (start koppel om te beginnen)",
    "reset.needs_yes": "reset vergeet alle voortgang van {name}: voeg --yes toe om te bevestigen",
    "reset.done": "vergeten: {name} ({done}/{total} gereed; verwijderd: {files})",
    "check.unknown_id": "geen automatische controle met id {ids}{hint}; geldig: {valid}",
    "check.did_you_mean": " (bedoelt u '{name}'?)",
    "check.not_recorded": "{why}; de resultaten worden niet vastgelegd",
    "import.done": "{n} stappen vooraf ingevuld voor {name}",
    # values and counts as a person reads them (the report, koppel status)
    "value.yes": "ja",
    "value.no": "nee",
    "value.empty": "—",
    "count.flagged": "{n} met een controle sindsdien die niet slaagde",
    # the hand-over report
    "report.title": "Overdrachtsrapport",
    "report.generated": "Gemaakt",
    "report.administraties": "Administraties",
    "report.by": "door {by}",
    "report.reason": "Reden",
    "report.hint": "Tip",
    "servers.none": "nog geen servers",
    "servers.in_use": "in gebruik door {who}",
}
