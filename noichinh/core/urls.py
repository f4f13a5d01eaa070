from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("tim-kiem/", views.search, name="search"),
    path("nhat-ky/", views.audit_log, name="audit_log"),
    path("nhat-ky/<int:pk>/", views.audit_entry, name="audit_entry"),
    path("pham-vi/", views.set_scope, name="set_scope"),
]

from . import autocomplete  # noqa: E402

urlpatterns += [
    path("goi-y/<str:label>/", autocomplete.search_view, name="autocomplete"),
]

from . import job_views  # noqa: E402

urlpatterns += [
    path("cong-viec-nen/<int:pk>/", job_views.job_status, name="job_status"),
    path("cong-viec-nen/<int:pk>/tep/", job_views.job_file, name="job_file"),
]
