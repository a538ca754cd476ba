"""Errors meant for people: one clear sentence, and the exit code the CLI returns (DESIGN.md §6)."""

from __future__ import annotations


class ClauseCheckError(Exception):
    """Base class: the message is shown to the user as it is, without a traceback."""

    exit_code = 1


class InputError(ClauseCheckError):
    """The input cannot be read: missing, empty, corrupt, encrypted, unsupported, too large."""

    exit_code = 3


class DataFileError(ClauseCheckError):
    """A bundled or user-supplied data file (rules, profiles, lexicons) is invalid."""

    exit_code = 2
