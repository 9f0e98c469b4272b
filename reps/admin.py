"""Django admin for the reps app, for administrators setting boards up.

Equality monitoring records are deliberately absent: nobody but the rep sees one, and the admin
must not become a way round that.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reps.models import (
    AgendaItem,
    Attendance,
    BoardSettings,
    Group,
    InductionItem,
    InductionItemTemplate,
    Meeting,
    Rep,
    Seat,
    Term,
    Training,
    UsualJourney,
)


@admin.register(BoardSettings)
class BoardSettingsAdmin(admin.ModelAdmin):
    list_display = ["board", "papers_notice_days", "succession_lead_months"]
    list_select_related = ["board"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "board", "kind", "order"]
    list_filter = ["kind", "board"]
    list_select_related = ["board"]
    search_fields = ["name", "board__name"]


@admin.register(Seat)
class SeatAdmin(SimpleHistoryAdmin):
    list_display = ["title", "group", "board", "kind", "voting", "created_on"]
    list_filter = ["kind", "voting", "board"]
    list_select_related = ["board", "group"]
    search_fields = ["title", "group__name", "board__name"]


class UsualJourneyInline(admin.TabularInline):
    model = UsualJourney
    extra = 0


class TrainingInline(admin.TabularInline):
    model = Training
    extra = 0


@admin.register(Rep)
class RepAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "board", "rep_type", "filled_by_staff", "user"]
    list_filter = ["rep_type", "filled_by_staff", "involvement_payment_opt_in", "board"]
    list_select_related = ["board", "user"]
    search_fields = ["full_name", "email", "board__name"]
    raw_id_fields = ["user"]
    inlines = [UsualJourneyInline, TrainingInline]
    fieldsets = [
        (None, {"fields": ["board", "user", "full_name", "rep_type", "filled_by_staff"]}),
        ("Contact details", {"fields": ["email", "phone", "address", "postcode_area"]}),
        (
            "Access and support needs",
            {"fields": [field for field, _ in Rep.ACCESS_NEEDS] + ["needs_other"]},
        ),
        (
            "Communication preferences",
            {"fields": [field for field, _ in Rep.CONTACT_PREFERENCES]},
        ),
        ("Payment", {"fields": ["involvement_payment_opt_in"]}),
    ]


class InductionItemInline(admin.TabularInline):
    model = InductionItem
    extra = 0
    fields = ["title", "order", "done", "done_on", "done_by"]
    raw_id_fields = ["done_by"]


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ["rep", "seat", "start", "planned_end", "ended_on", "how_recruited"]
    list_filter = ["how_recruited", "exit_interview_held", "seat__board"]
    list_select_related = ["rep", "seat", "seat__group"]
    search_fields = ["rep__full_name", "seat__title", "seat__board__name"]
    raw_id_fields = ["rep", "seat", "handed_over_to"]
    date_hierarchy = "start"
    inlines = [InductionItemInline]


@admin.register(InductionItemTemplate)
class InductionItemTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "board", "order", "active"]
    list_filter = ["active", ("board", admin.EmptyFieldListFilter), "board"]
    list_select_related = ["board"]
    search_fields = ["title"]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["course", "rep", "date", "provider", "hours", "cost"]
    list_filter = ["rep__board"]
    list_select_related = ["rep"]
    search_fields = ["course", "provider", "rep__full_name"]
    date_hierarchy = "date"


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["rep"]


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ["rep"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["group", "board", "date", "papers_issued_on", "pre_meeting_held"]
    list_filter = ["pre_meeting_held", "board"]
    list_select_related = ["board", "group"]
    search_fields = ["group__name", "board__name", "venue"]
    date_hierarchy = "date"
    inlines = [AttendanceInline, AgendaItemInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "rep", "status", "minutes_given"]
    list_filter = ["status", "meeting__board"]
    list_select_related = ["meeting", "meeting__group", "rep"]
    search_fields = ["title", "outcome"]
    raw_id_fields = ["meeting", "rep"]
