from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentFormat(models.TextChoices):
    PARTY = "party", _("Party")
    STATE = "state", _("State")
