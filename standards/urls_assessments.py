"""A board's self-assessment: the staff lead's and the reps' pages, under /self-assessment/."""

from django.urls import path, register_converter

from standards.states import Side
from standards.views import assessments, perspectives


class SideConverter:
    """ "staff" or "reps": any other word in the address is a page that does not exist."""

    regex = "|".join(side.value for side in Side)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(SideConverter, "side")

urlpatterns = [
    path("self-assessment/", assessments.assessment_list, name="assessment_list"),
    path("self-assessment/start/", assessments.assessment_start, name="assessment_start"),
    path("self-assessment/<int:pk>/", assessments.assessment_detail, name="assessment_detail"),
    path("self-assessment/<int:pk>/deadline/", assessments.reps_deadline, name="reps_deadline"),
    path(
        "self-assessment/<int:pk>/close-reps-window/",
        assessments.reps_window_close,
        name="reps_window_close",
    ),
    path(
        "self-assessment/<int:pk>/publish/",
        assessments.assessment_publish,
        name="assessment_publish",
    ),
    path(
        "self-assessment/<int:pk>/reopen/", assessments.assessment_reopen, name="assessment_reopen"
    ),
    path(
        "self-assessment/<int:pk>/<side:side>/",
        perspectives.perspective_detail,
        name="perspective_detail",
    ),
    path(
        "self-assessment/<int:pk>/<side:side>/area/<int:number>/",
        perspectives.perspective_edit,
        name="perspective_edit",
    ),
    path(
        "self-assessment/<int:pk>/<side:side>/submit/",
        perspectives.perspective_submit,
        name="perspective_submit",
    ),
    path(
        "self-assessment/<int:pk>/<side:side>/reopen/",
        assessments.perspective_reopen,
        name="perspective_reopen",
    ),
]
