"""The side navigation's entry for the intake page: every signed-in user may read a text."""

from django.utils.translation import gettext_lazy as _

from noichinh.core.navigation import Area, register_area

register_area(
    Area("intake", _("Intake of reports"), "intake:intake", 85, lambda user: user.is_authenticated)
)
