"""Declared authorization rules of the forums app (merged into ``rules.ROUTES`` and ``rules.OPERATIONS``).

Forums: the kelurahan admin moderates every forum, a surveyor its RW's forum, an officer its agency's
program forums (tested in tests/forums: the world's forum routes use RW forums); residents read and write
their RW's forum, the forums of programs their household takes part in, and their target group's.
Cadres and evaluators have no forum. Ratings are the residents' own; the per-program summary is the
program's agency's and the admin's.
"""

from __future__ import annotations

from tests.security.rules import *  # noqa: F403  (page, form, action, op and the role tuples)

_READERS = ("admin", "surveyor", "resident")  # of an RW forum
_MODS = ("admin", "surveyor")  # of an RW forum
_ALL = ("admin", "officer", "surveyor", "resident")  # who has a forum page at all

ROUTES: dict = {
    "forums:index": page(*_ALL, note="residents: their forums; staff: the forums they moderate"),
    "forums:forum": form(*_READERS, scoped=True, ids={PK: "forum"}),  # noqa: F405
    "forums:thread": page(*_READERS, scoped=True, ids={PK: "forum_thread"}),  # noqa: F405
    "forums:reply": action(*_READERS, scoped=True, ids={PK: "forum_thread"}),  # noqa: F405
    "forums:thread_report": form(*_READERS, scoped=True, ids={PK: "forum_thread"}),  # noqa: F405
    "forums:reply_report": form(*_READERS, scoped=True, ids={PK: "forum_reply"}),  # noqa: F405
    "forums:moderation": page("admin", "officer", "surveyor", note="each sees the reports of its own forums"),
    "forums:report_review": action(*_MODS, scoped=True, ids={PK: "forum_report"}),  # noqa: F405
    "forums:thread_hide": form(*_MODS, scoped=True, ids={PK: "forum_thread"}),  # noqa: F405
    "forums:thread_restore": action(*_MODS, scoped=True, ids={PK: "forum_thread"}),  # noqa: F405
    "forums:thread_lock": action(*_MODS, scoped=True, ids={PK: "forum_thread"}),  # noqa: F405
    "forums:reply_hide": form(*_MODS, scoped=True, ids={PK: "forum_reply"}),  # noqa: F405
    "forums:reply_restore": action(*_MODS, scoped=True, ids={PK: "forum_reply"}),  # noqa: F405
    "forums:ratings": page("resident"),
    "forums:rate_session": form("resident", scoped=True, ids={PK: "forum_session"},  # noqa: F405
                                note="the participant who attended the session"),
    "forums:rate_program": form("resident", scoped=True, ids={PK: "rated_program"},  # noqa: F405
                                note="a program the household takes part in"),
    "forums:feedback_overview": page("admin", "officer"),
    "forums:program_feedback": page("admin", "officer", scoped=True, ids={PK: "rated_program"}),  # noqa: F405
}

_T = {"thread_id": "forum_thread"}
_R = {"reply_id": "forum_reply"}
OPERATIONS: dict = {
    "forums_forum_list": op(*_ALL),  # noqa: F405
    "forums_thread_list": op(*_READERS, scoped=True, ids={"forum_id": "forum"}),  # noqa: F405
    "forums_thread_create": op(*_READERS, scoped=True, ids={"forum_id": "forum"}),  # noqa: F405
    "forums_thread_read": op(*_READERS, scoped=True, ids=_T),  # noqa: F405
    "forums_reply_create": op(*_READERS, scoped=True, ids=_T),  # noqa: F405
    "forums_thread_report": op(*_READERS, scoped=True, ids=_T),  # noqa: F405
    "forums_reply_report": op(*_READERS, scoped=True, ids=_R),  # noqa: F405
    "forums_thread_hide": op(*_MODS, scoped=True, ids=_T),  # noqa: F405
    "forums_thread_lock": op(*_MODS, scoped=True, ids=_T),  # noqa: F405
    "forums_reply_hide": op(*_MODS, scoped=True, ids=_R),  # noqa: F405
    "forums_report_list": op("admin", "officer", "surveyor"),  # noqa: F405
    "forums_report_review": op(*_MODS, scoped=True, ids={"report_id": "forum_report"}),  # noqa: F405
    "forums_session_rating_record": op("resident", scoped=True, ids={"session_id": "forum_session"}),  # noqa: F405
    "forums_program_rating_record": op("resident", scoped=True, ids={"program_id": "rated_program"}),  # noqa: F405
    "forums_program_rating_summary": op("admin", "officer", scoped=True,  # noqa: F405
                                        ids={"program_id": "rated_program"}),
}
