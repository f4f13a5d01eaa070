from django.urls import path

from . import views
from .resources import RoleAssignmentResource, UserResource

app_name = "accounts"

urlpatterns = [
    path("tai-khoan/dang-nhap/", views.login_view, name="login"),
    path("tai-khoan/dang-xuat/", views.logout_view, name="logout"),
    path("tai-khoan/", views.profile, name="profile"),
    path("tai-khoan/mat-khau/", views.password_change, name="password_change"),
    path("tai-khoan/xac-thuc-hai-lop/", views.two_factor, name="two_factor"),
    path("quan-tri/", views.admin_home, name="admin_home"),
    path("quan-tri/chinh-sach-dang-nhap/", views.role_policy, name="role_policy"),
    path("quan-tri/nguoi-dung/<int:pk>/bao-mat/", views.user_security, name="user_security"),
    *UserResource.urls(),
    *RoleAssignmentResource.urls(),
]
