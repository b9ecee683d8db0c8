"""Django's makemessages, also extracting ``_t(...)``.

Views alias the eager ``gettext`` as ``_t`` beside ``gettext_lazy as _``; xgettext does not know
that alias, so without this keyword those strings would silently stay out of the catalog.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = makemessages.Command.xgettext_options + ["--keyword=_t"]
