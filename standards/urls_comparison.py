"""The national comparison, under /comparison/, and the open data, under /open-data/."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
