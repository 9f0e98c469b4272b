"""A board's self-assessment: the staff lead's and the reps' pages, under /self-assessment/."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
