from django.urls import path

from . import views
from .resources import (
    AwardKindResource,
    AwardReviewResource,
    BallotResource,
    DelegateResource,
    NominationResource,
)

app_name = "awards"

urlpatterns = [
    path("binh-xet/<int:pk>/mo-phieu/", views.ballot_open, name="ballot_open"),
    path("binh-xet/<int:pk>/dong-phieu/", views.ballot_close, name="ballot_close"),
    path("binh-xet/<int:pk>/bo-phieu/<int:delegate_pk>/", views.ballot_vote, name="ballot_vote"),
    path("binh-xet/<int:pk>/phieu-giay/", views.ballot_paper, name="ballot_paper"),
    path("binh-xet/<int:pk>/bien-ban/", views.review_minutes, name="review_minutes"),
    *AwardKindResource.urls(),
    *AwardReviewResource.urls(overrides={"detail": views.ReviewDetailView}),
    *DelegateResource.urls(),
    *NominationResource.urls(),
    *BallotResource.urls(),
]
