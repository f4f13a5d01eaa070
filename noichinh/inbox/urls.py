from django.urls import path

from . import views
from .resources import ReminderRuleResource

app_name = "inbox"
urlpatterns = [
    path("", views.inbox_list, name="list"),
    path("<int:pk>/da-doc/", views.inbox_read, name="read"),
    path("<int:pk>/mo/", views.inbox_open, name="open"),
    path("doc-tat-ca/", views.inbox_read_all, name="read_all"),
    path("cai-dat-email/", views.inbox_preference, name="preference"),
    *ReminderRuleResource.urls(),
]
