from django.urls import path

from codedrill.accounts import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("account/", views.account, name="account"),
    path("account/export.json", views.export, name="account-export"),
    path("account/delete/", views.delete, name="account-delete"),
]
