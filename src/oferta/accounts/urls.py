from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path(
        "entrar/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<uuid:token_uuid>/revocar/", views.token_revoke, name="token_revoke"),
    path("usuarios/", views.users, name="users"),
    path("usuarios/nuevo/", views.user_create, name="user_create"),
    path("usuarios/<uuid:user_uuid>/", views.user_detail, name="user_detail"),
    path("usuarios/<uuid:user_uuid>/desactivar/", views.user_deactivate, name="user_deactivate"),
]
