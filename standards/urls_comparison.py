"""The national comparison, under /comparison/, and the open data, under /open-data/."""

from django.urls import path

from standards.views import comparison, open_data

urlpatterns = [
    path("comparison/", comparison.comparison_page, name="comparison"),
    path("comparison/download/", comparison.comparison_download, name="comparison_download"),
    path("comparison/area/<int:number>/", comparison.comparison_area, name="comparison_area"),
    path(
        "comparison/area/<int:number>/download/",
        comparison.comparison_area_download,
        name="comparison_area_download",
    ),
    path("comparison/boards/<slug:slug>/", comparison.comparison_board, name="comparison_board"),
    path(
        "comparison/boards/<slug:slug>/download/",
        comparison.comparison_board_download,
        name="comparison_board_download",
    ),
    path("open-data/", open_data.open_data_index, name="open_data"),
    path(
        "open-data/<int:year>/datapackage.json",
        open_data.open_data_package,
        name="open_data_package",
    ),
    path(
        "open-data/<int:year>/<slug:name>.<slug:extension>",
        open_data.open_data_file,
        name="open_data_file",
    ),
]
