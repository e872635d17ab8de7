from django.core.management.commands.makemessages import Command as MakeMessages


class Command(MakeMessages):
    # Form labels use `gettext_lazy as _l` (a module may need both); without the keyword
    # their strings would never reach a catalogue, and --no-obsolete would drop
    # translations added by hand.
    xgettext_options = [*MakeMessages.xgettext_options, "--keyword=_l"]
