from django.urls import path

from . import views
from .resources import DocumentResource, DocumentTypeResource, IssuerResource, TermResource

app_name = "documents"

urlpatterns = [
    path("doc-so-ky-hieu/", views.code_preview, name="code_preview"),
    path("<int:pk>/tep/", views.document_file, name="document_file"),
    *DocumentTypeResource.urls(),
    *IssuerResource.urls(),
    *TermResource.urls(),
    *DocumentResource.urls(overrides={"detail": views.DocumentDetailView}),
]
