"""A server worked on as an admin works on it, through the Session's own operations: a form, a check
that passed, a check confirmed by hand after it failed, a manual step, a skipped step, a closed
step whose check failed since (flagged), a closed step being checked again, and two administraties."""

from __future__ import annotations

from tui.checks.base import CheckResult
from tui.state.session import Session, open_session

OK = CheckResult(status="ok", message="gevonden")
FAILED = CheckResult(status="fail", message="niet bereikbaar", hint="controleer de firewall")


def work(session: Session) -> Session:
    session.submit("vereisten.editie", {"versie": "9.8a", "editie": "Business", "module_autoreport": "ja"})
    session.mark_running("vereisten.versie")
    session.record_result("vereisten.versie", OK)
    session.mark_running("vooraf.licentie")
    session.record_result("vooraf.licentie", FAILED)
    session.confirm("vooraf.licentie", "zelf bekeken in AccountView")  # confirmed by hand
    session.confirm("vooraf.gateway_download")
    session.mark_running("vooraf.visma_bereikbaar")
    session.record_result("vooraf.visma_bereikbaar", OK)
    session.mark_running("vooraf.visma_bereikbaar")
    session.record_result("vooraf.visma_bereikbaar", FAILED)  # flagged: done, a check since failed
    session.record_answers("wizard.autorisatie", {"email": "beheer@example.nl", "sso": False})
    session.record_answers("autoreport.administraties", {"administraties": ["DEMO", "HOLD"]})
    session.state.steps["autoreport.administraties"].status = "done"
    session.skip("onderneming.aanmaken@DEMO", "bestaat al")
    session.mark_running("vereisten.versie")  # a closed step being checked again counts as closed
    return session


def worked_server(server: str = "av-srv01", lang: str = "nl") -> None:
    """The worked state saved on disk, as koppel leaves it (the lock let go)."""
    session = work(open_session(server=server, lang=lang))
    session.close()


# what the worked state counts: 7 closed of 25 (23 steps, one repeated per administratie)
DONE, TOTAL, SKIPPED, CONFIRMED, FLAGGED = 7, 25, 1, 1, 1
