"""The words the offline app's JavaScript shows, translated on the server like every
template (gettext, the project's .po files) and handed to the page with `json_script`:
the project has no JavaScript catalogue, and this keeps one set of translations."""

from django.utils.translation import gettext as _


def strings() -> dict[str, str]:
    return {
        "waiting": _("%(n)s waiting to be sent"),
        "state.waiting": _("Waiting"),
        "state.sending": _("Sending…"),
        "state.sent": _("Sent"),
        "state.refused": _("Refused"),
        "state.conflict": _("Conflict"),
        "blocked": _("Waits for the business to be sent first"),
        "offline": _("No connection: your work is kept on this phone."),
        "retry_at": _("Next try at %(time)s"),
        "signed_out": _("Your session has ended: log in again to send."),
        "fix": _("Fix"),
        "drop": _("Drop it"),
        "drop_confirm": _("Drop this item? It will not be sent."),
        "keep_mine": _("Keep mine"),
        "yours": _("Yours"),
        "server": _("On the server now"),
        "field": _("Field"),
        "send_choice": _("Send my choice"),
        "drop_mine": _("Drop my changes"),
        "conflict_help": _(
            "Someone changed this business after you edited it. Tick the fields where your "
            "value should win; the others keep the server's value."
        ),
        "no_businesses": _("No businesses on this phone yet: open this page once online."),
        "edit": _("Edit"),
        "submit": _("Submit for curation"),
        "new_business": _("New business (not sent yet)"),
        "location_error": _("The location could not be read."),
        "location_got": _("Location read: accuracy %(m)s m."),
        "photo_ready": _("Photo resized to %(kb)s KB."),
        "check_errors": _("Please fix the fields marked below."),
        "unknown_business": _("This business is not on this phone."),
        "kind.business.create": _("Register business"),
        "kind.business.update": _("Edit business"),
        "kind.business.submit": _("Submit for curation"),
        "kind.figures": _("Figures"),
        "kind.legality": _("Legality document"),
        "kind.product": _("Product"),
        "kind.photo": _("Business photo"),
        "kind.visit": _("Visit"),
        "kind.visit_photo": _("Visit photo"),
        "kind.complaint": _("Complaint"),
        "kind.complaint_photo": _("Complaint photo"),
        "error": _("The server could not take this item (%(status)s)."),
    }
