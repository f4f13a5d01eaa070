from django.urls import path

from . import views
from .resources import IdentityRetentionResource, PetitionResource, ReceptionSessionResource

app_name = "petitions"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("qua-han/", views.overdue, name="overdue"),
    path("don/<int:pk>/tep/", views.petition_attachment, name="petition_attachment"),
    path("ngay-nghi/", views.holidays, name="holidays"),
    path("ngay-nghi/<int:pk>/xoa/", views.holiday_delete, name="holiday_delete"),
    path("don/<int:pk>/phan-loai/", views.petition_classify, name="petition_classify"),
    path("don/<int:pk>/gia-han/", views.petition_extend, name="petition_extend"),
    path("don/<int:pk>/tam-dung/", views.petition_pause, name="petition_pause"),
    path("don/<int:pk>/tiep-tuc/", views.petition_resume, name="petition_resume"),
    path("don/<int:pk>/giai-quyet/", views.petition_resolve, name="petition_resolve"),
    path("don/<int:pk>/theo-doi/", views.petition_follow_up, name="petition_follow_up"),
    *PetitionResource.urls(
        overrides={"detail": views.PetitionDetailView, "edit": views.PetitionEditView}
    ),
    *ReceptionSessionResource.urls(),
    *IdentityRetentionResource.urls(),
]
