from typing import Any

from django.urls import path
from django.utils.decorators import method_decorator

from noichinh.core import views as core_views

from . import views
from .reauth import require_recent_password
from .resources import RoleAssignmentResource, UserResource

app_name = "accounts"


def _reauth(view: type[Any]) -> type[Any]:
    return type(
        f"Reauth{view.__name__}",
        (view,),
        {"dispatch": method_decorator(require_recent_password())(view.dispatch)},
    )


REAUTH_VIEWS = {
    "add": _reauth(core_views.ObjectCreateView),
    "edit": _reauth(core_views.ObjectEditView),
    "delete": _reauth(core_views.ObjectDeleteView),
    "import": _reauth(core_views.ObjectImportView),
}

urlpatterns = [
    path("tai-khoan/dang-nhap/", views.login_view, name="login"),
    path("tai-khoan/dang-xuat/", views.logout_view, name="logout"),
    path("tai-khoan/", views.profile, name="profile"),
    path("tai-khoan/mat-khau/", views.password_change, name="password_change"),
    path("tai-khoan/xac-thuc-hai-lop/", views.two_factor, name="two_factor"),
    path("tai-khoan/xac-nhan-mat-khau/", views.reauth, name="reauth"),
    path("quan-tri/", views.admin_home, name="admin_home"),
    path("quan-tri/chinh-sach-dang-nhap/", views.role_policy, name="role_policy"),
    path("quan-tri/nguoi-dung/<int:pk>/bao-mat/", views.user_security, name="user_security"),
    *UserResource.urls(),
    # Role changes ask for the password again (accounts.reauth).
    *RoleAssignmentResource.urls(overrides=REAUTH_VIEWS),
]
