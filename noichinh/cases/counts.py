"""The figures the case registry gives to reports and campaigns (core.counts catalogue)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from noichinh.core.counts import DerivedCount, register_count

from .choices import Conduct, Detection, MonitoringLevel
from .models import Case, SecurityIssue

DETECTED = ("detected_after", "detected_before")
ADVISED = ("advised_after", "advised_before")

register_count(
    DerivedCount(
        key="cases.all",
        label=_("Cases and matters detected"),
        model=Case,
        date_field="detected_on",
        list_url_name="cases:case_list",
        date_params=DETECTED,
    )
)
register_count(
    DerivedCount(
        key="cases.corruption",
        label=_("Corruption cases and matters detected"),
        model=Case,
        date_field="detected_on",
        narrow=lambda qs: qs.filter(conduct=Conduct.CORRUPTION),
        list_url_name="cases:case_list",
        list_params={"conduct": Conduct.CORRUPTION},
        date_params=DETECTED,
    )
)
register_count(
    DerivedCount(
        key="cases.self_detected",
        label=_("Corruption cases and matters detected by the committee itself"),
        model=Case,
        date_field="detected_on",
        narrow=lambda qs: qs.filter(conduct=Conduct.CORRUPTION, detection=Detection.SELF),
        list_url_name="cases:case_list",
        list_params={"conduct": Conduct.CORRUPTION, "detection": Detection.SELF},
        date_params=DETECTED,
    )
)
register_count(
    DerivedCount(
        key="cases.central_monitored",
        label=_("Cases monitored by the Central Steering Committee"),
        model=Case,
        date_field="detected_on",
        narrow=lambda qs: qs.filter(monitoring=MonitoringLevel.CENTRAL_STEERING),
        list_url_name="cases:case_list",
        list_params={"monitoring": MonitoringLevel.CENTRAL_STEERING},
        date_params=DETECTED,
    )
)
register_count(
    DerivedCount(
        key="cases.public_concern_by_department",
        label=_("Corruption cases of public concern, by department in charge"),
        model=Case,
        date_field="detected_on",
        narrow=lambda qs: qs.filter(conduct=Conduct.CORRUPTION, public_concern=True),
        path_lookup="department__path",
        help_text=_("Counted for the department in charge, not the unit following the case."),
    )
)
register_count(
    DerivedCount(
        key="security.advised",
        label=_("Complex security and order issues advised on"),
        model=SecurityIssue,
        date_field="advised_on",
        list_url_name="cases:securityissue_list",
        date_params=ADVISED,
    )
)
register_count(
    DerivedCount(
        key="security.advised_by_department",
        label=_("Complex security and order issues advised on, by department in charge"),
        model=SecurityIssue,
        date_field="advised_on",
        path_lookup="department__path",
    )
)
