"""Writes of the forums app: forums, threads and replies (``posts``), moderation and abuse reports
(``moderation``), residents' ratings of training sessions and programs (``feedback``)."""
