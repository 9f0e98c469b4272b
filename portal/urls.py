from django.contrib import admin
from django.urls import include, path

from portal import mfa
from portal.views import (
    accounts,
    boards,
    home,
    home_rep,
    home_staff,
    invitation,
    personal_data,
    public,
)

urlpatterns = [
    path("", public.start, name="start"),
    path("accessibility/", public.accessibility, name="accessibility"),
    path("privacy/", public.privacy, name="privacy"),
    path("boards/", boards.board_list, name="public_board_list"),
    path("boards/<slug:slug>/", boards.board_page, name="public_board"),
    path("boards/<slug:slug>/interest/", boards.board_interest, name="public_board_interest"),
    path(
        "boards/<slug:slug>/interest/sent/",
        boards.board_interest_sent,
        name="public_board_interest_sent",
    ),
    path(
        "boards/<slug:slug>/interest/questions/",
        boards.board_interest_equality,
        name="public_board_interest_equality",
    ),
    path("home/", home.home, name="home"),
    path("rep/", home_rep.rep_home, name="rep_home"),
    # Everything the portal holds about the rep signed in: no id, so only their own.
    path("my/data/", personal_data.my_data, name="my_data"),
    path("my/data/download/", personal_data.my_data_download, name="my_data_download"),
    path(
        "staff/reps/<int:rep_pk>/data/download/",
        personal_data.rep_data_download,
        name="staff_rep_data_download",
    ),
    path("staff/", home_staff.staff_home, name="staff_home"),
    path("staff/boards/<slug:slug>/", home_staff.staff_board, name="staff_board"),
    path("national/", home.national_home, name="national_home"),
    path("account/sign-in/", accounts.sign_in, name="login"),
    path("account/sign-out/", accounts.sign_out, name="logout"),
    path("account/password/", accounts.password_change, name="password_change"),
    path("account/password/done/", accounts.password_change_done, name="password_change_done"),
    path("account/password-reset/", accounts.password_reset, name="password_reset"),
    path("account/password-reset/sent/", accounts.password_reset_done, name="password_reset_done"),
    path(
        "account/password-reset/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/complete/",
        accounts.password_reset_complete,
        name="password_reset_complete",
    ),
    path(
        "account/invitation/set-password/",
        invitation.invitation_set_password,
        name="invitation_set_password",
    ),
    path("account/invitation/<str:token>/", invitation.invitation_open, name="invitation_open"),
    path("account/two-factor/set-up/", mfa.setup, name="mfa_setup"),
    path("account/two-factor/set-up/<uidb64>/<token>/", mfa.enrol, name="mfa_enrol"),
    path("account/two-factor/", mfa.verify, name="mfa_verify"),
    path("account/two-factor/turn-off/", mfa.turn_off, name="mfa_turn_off"),
    path("", include("reps.urls")),
    path("", include("expenses.urls")),
    path("", include("standards.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "portal.views.errors.server_error"
