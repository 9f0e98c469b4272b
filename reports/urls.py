"""Reports, under /reports/: each board's annual summary as a page and as a PDF."""

from django.urls import path

from reports import views, views_jobs, views_national, views_statements

app_name = "reports"

urlpatterns = [
    path("reports/", views.summary_list, name="summary_list"),
    # The national report (reports.views_national), before the board summaries: "national" is
    # not a board.
    path("reports/national/<int:year>/", views_national.national, name="national"),
    path(
        "reports/national/<int:year>/national-report.pdf",
        views_national.national_pdf,
        name="national_pdf",
    ),
    # A rep's statements of payments (reports.views_statements): their own, and staff's for a rep.
    path("my/statements/", views_statements.my_statement, name="my_statement"),
    path(
        "my/statements/<int:year>/statement.pdf",
        views_statements.my_statement_pdf,
        name="my_statement_pdf",
    ),
    path(
        "staff/reps/<int:pk>/statements/",
        views_statements.staff_rep_statements,
        name="staff_rep_statements",
    ),
    path(
        "staff/reps/<int:pk>/statements/<int:year>/statement.pdf",
        views_statements.staff_rep_statement_pdf,
        name="staff_rep_statement_pdf",
    ),
    path("reports/<slug:slug>/<int:year>/", views.summary, name="summary"),
    path("reports/<slug:slug>/<int:year>/summary.pdf", views.summary_pdf, name="summary_pdf"),
    # Summary PDFs made in the background (reports.views_jobs).
    path(
        "reports/<slug:slug>/<int:year>/generate/",
        views_jobs.summary_generate,
        name="summary_generate",
    ),
    path(
        "reports/pdfs/every-board/",
        views_jobs.summaries_generate_every_board,
        name="summaries_generate_every_board",
    ),
    path("reports/pdfs/jobs/<int:pk>/", views_jobs.job, name="job"),
    path("reports/pdfs/jobs/<int:pk>/status.json", views_jobs.job_status, name="job_status"),
    path("reports/pdfs/files/<int:pk>/", views_jobs.summary_file, name="summary_file"),
]
