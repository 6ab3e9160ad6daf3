from django.urls import path

from codedrill.lti import views

urlpatterns = [
    path("lti/login/", views.login, name="lti-login"),
    path("lti/launch/", views.launch, name="lti-launch"),
    path("lti/jwks/", views.jwks, name="lti-jwks"),
    path("lti/deep-link/", views.deep_link, name="lti-deep-link"),
    path("lti/courses/<int:pk>/results/", views.results, name="lti-results"),
]
