from __future__ import annotations

from django.urls import path

from retention import views

app_name = "retention"

urlpatterns = [
    path("staff/retention/", views.overview, name="overview"),
    path(
        "staff/retention/relationships/<int:pk>/end/",
        views.relationship_end,
        name="relationship_end",
    ),
    path("staff/retention/restricted/", views.restricted_queue, name="restricted_queue"),
    path("staff/retention/review/", views.review_queue, name="review_queue"),
    path("staff/retention/review/<int:pk>/keep/", views.review_keep, name="review_keep"),
    path("staff/retention/review/<int:pk>/delete/", views.review_delete, name="review_delete"),
    path("staff/retention/trajectories/", views.trajectory_review, name="trajectory_review"),
    path(
        "staff/retention/trajectories/<int:pk>/end/",
        views.trajectory_review_end,
        name="trajectory_review_end",
    ),
    path(
        "staff/retention/trajectories/<int:pk>/keep/",
        views.trajectory_review_keep,
        name="trajectory_review_keep",
    ),
]
