"""What a session refuses or cannot do, each said in one line (str() says why)."""

from __future__ import annotations


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
