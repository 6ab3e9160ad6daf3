from django.urls import path

from codedrill.review import views

urlpatterns = [
    path("review/", views.queue_page, name="review-queue"),
    path("review/cards/<uuid:card>/rate", views.rate_card, name="review-rate-card"),
    path("review/questions/<uuid:question>/", views.missed_question, name="review-question"),
    path("review/questions/<uuid:question>/rate", views.rate_question, name="review-rate-question"),
    # Review mode; its quick quiz (…/review/<n>/) is the learning app's drill route.
    path("patterns/<slug:slug>/review/", views.review_page, name="review-page"),
]
