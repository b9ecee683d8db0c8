"""Objects of the notifications app for the authorization world."""

from __future__ import annotations


def add_kinds(w, admin, h, h2, pos, pos2) -> None:
    """Adds this app's kinds to ``w.kinds`` (see ``world.Kind``).

    announcement: the participants of the household's agency's program within the household's RW (the
    officer of that agency and the surveyor of that RW manage it); the other: the other side's program
    within the other RW. inbox_message: a message to each side's household. message: a failed SMS.
    public_announcement: a published kelurahan-wide announcement.
    """
    from bansos.notifications.models import Message
    from bansos.notifications.services import announcement_create, announcement_publish, notify
    from tests.security.world import Kind

    K = w.kinds
    program, program2 = K["program"].mine, K["program"].other

    def draft(program, household):
        return announcement_create(actor=admin, data={
            "title": "Jadwal penyaluran (uji keamanan)", "body": "Datang ke kantor kelurahan.",
            "target_kind": "program", "program": program, "rw": household.rt.rw})

    K["announcement"] = Kind(draft(program, h), draft(program2, h2), program.agency_id, program2.agency_id)
    public = announcement_publish(actor=admin, announcement=announcement_create(actor=admin, data={
        "title": "Kerja bakti (uji keamanan)", "body": "Minggu pagi.", "target_kind": "kelurahan"}))
    K["public_announcement"] = Kind(public)
    [mine] = notify(topic="uji", subject="Pesan uji keamanan", body="x", household=h)
    [other] = notify(topic="uji", subject="Pesan uji keamanan lain", body="x", household=h2)
    K["inbox_message"] = Kind(mine, other)
    [sms] = notify(topic="uji", subject="SMS uji", body="x", phone="081200000001", channels=("sms",))
    Message.objects.filter(pk=sms.pk).update(status="failed", attempts=5, last_error="HTTP 500 dari gateway")
    K["message"] = Kind(sms)
