from typing import Any

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

import noichinh.accounts.api
import noichinh.awards.api
import noichinh.campaigns.api
import noichinh.cases.api
import noichinh.documents.api
import noichinh.petitions.api
import noichinh.reports.api
import noichinh.units.api
import noichinh.work.api
from noichinh.core.api import router
from noichinh.core.views import healthz

api_urlpatterns: list[Any] = [
    path("auth/token/", noichinh.accounts.api.TokenView.as_view(), name="api_token"),
    path("me/", noichinh.accounts.api.MeView.as_view(), name="api_me"),
    path("progress/", noichinh.campaigns.api.ProgressView.as_view(), name="api_progress"),
    path("intake/", include("noichinh.intake.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # Swagger UI with its page rules from static (no inline <style>): the site's CSP holds here.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api_schema", template_name="accounts/api_docs.html"
        ),
        name="api_docs",
    ),
    path("", include(router.urls)),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include(api_urlpatterns)),
    path("vu-an/", include("noichinh.cases.urls")),
    path("don-thu/", include("noichinh.petitions.urls")),
    path("bao-cao/", include("noichinh.reports.urls")),
    path("thi-dua/", include("noichinh.campaigns.urls")),
    path("khen-thuong/", include("noichinh.awards.urls")),
    path("don-vi/", include("noichinh.units.urls")),
    path("van-ban/", include("noichinh.documents.urls")),
    path("cong-tac/", include("noichinh.work.urls")),
    path("tiep-nhan/", include("noichinh.intake.urls")),
    path("thong-bao/", include("noichinh.inbox.urls")),
    path("", include("noichinh.dashboards.urls")),
    path("", include("noichinh.accounts.urls")),
    path("", include("noichinh.core.urls")),
]

handler403 = "noichinh.core.views.permission_denied"
handler404 = "noichinh.core.views.not_found"
handler500 = "noichinh.core.views.server_error"
