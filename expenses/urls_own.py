from django.urls import path  # noqa: F401 - patterns are added as the screens are built

urlpatterns: list = []
