"""Declared authorization rules of the notifications app (merged into ``rules.ROUTES`` and ``rules.OPERATIONS``).

Announcements (announcement.manage): the admin any; an officer those addressed to its own agency's
programs' participants; a surveyor those addressed within its own RW. The world's "announcement" is the
participants of the in-scope agency's program within the in-scope RW, so the officer and the surveyor of
that side both manage it and the other side's officer and surveyor do not. The outbox (outbox.view) is
the admin's. The inbox is the resident's own; public announcements are for everyone.
"""

from __future__ import annotations

from tests.security.rules import *  # noqa: F403  (page, form, action, op and the role tuples)

AOS = ("admin", "officer", "surveyor")  # announcement.manage
A = {PK: "announcement"}  # noqa: F405

ROUTES: dict = {
    "notifications:announcement_list": page(*AOS, note="each sees the announcements of its scope"),  # noqa: F405
    "notifications:announcement_create": form(*AOS, note="the audience is checked against the scope"),  # noqa: F405
    "notifications:announcement_detail": page(*AOS, scoped=True, ids=A),  # noqa: F405
    "notifications:announcement_edit": form(*AOS, scoped=True, ids=A),  # noqa: F405
    "notifications:announcement_publish": action(*AOS, scoped=True, ids=A),  # noqa: F405
    "notifications:announcement_reach": page(*AOS, scoped=True, ids=A),  # noqa: F405
    "notifications:program_reach": page(*AOS, scoped=("officer",), ids={PK: "program"},  # noqa: F405
                                        note="surveyors see the reach of their own announcements about any program"),
    "notifications:outbox": page(*ADMIN),  # noqa: F405
    "notifications:message_retry": action(*ADMIN, ids={PK: "message"}),  # noqa: F405
    "notifications:inbox": page("resident", note="the resident's own account's and household's messages"),  # noqa: F405
    "notifications:inbox_message": page("resident", scoped=True, ids={PK: "inbox_message"}),  # noqa: F405
    "notifications:public_list": page(*EVERYONE, note="kelurahan- and RW-wide announcements, no personal data"),  # noqa: F405
    "notifications:public_detail": page(*EVERYONE, ids={PK: "public_announcement"}),  # noqa: F405
}
OPERATIONS: dict = {
    "notifications_announcement_list": op(*AOS),  # noqa: F405
    "notifications_announcement_create": op(*AOS),  # noqa: F405
    "notifications_announcement_publish": op(*AOS, scoped=True, ids={"announcement_id": "announcement"}),  # noqa: F405
    "notifications_announcement_reach": op(*AOS, scoped=True, ids={"announcement_id": "announcement"}),  # noqa: F405
    "notifications_inbox_list": op("resident"),  # noqa: F405
    "notifications_inbox_read": op("resident", scoped=True, ids={"message_id": "inbox_message"}),  # noqa: F405
}
