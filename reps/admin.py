"""Django admin for the reps app, for administrators setting boards up.

Equality monitoring records are deliberately absent: nobody but the rep sees one, and the admin
must not become a way round that.

Import and export use the resources of `reps.resources`, as the staff pages do, so the admin
keeps the same rules: model validation on every row, nothing written from a file with a bad row,
writes through `reps.services`, and CSV exports that cannot carry a formula.
"""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from portal.core.spreadsheets import EXPORT_FORMATS, IMPORT_FORMATS
from reps import services
from reps.forms_documents import FILE_HINT, DocumentFileField
from reps.models import (
    AgendaItem,
    Attendance,
    BoardSettings,
    Budget,
    Document,
    Group,
    InductionItem,
    InductionItemTemplate,
    Meeting,
    NeedsConversation,
    Rep,
    Seat,
    SupportRequest,
    Term,
    Training,
    UsualJourney,
)
from reps.resources import (
    AttendanceResource,
    MeetingResource,
    RepResource,
    SeatResource,
    TermResource,
    TrainingResource,
)


class PortalImportExportMixin(ImportExportMixin):
    """Import and export in the admin with the portal's own resources and formats."""

    import_formats = IMPORT_FORMATS
    export_formats = EXPORT_FORMATS

    def get_resource_kwargs(self, request, *args, **kwargs):
        # Each resource reaches only the boards its user may import into.
        return {"user": request.user}

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # Records changed between the preview and the import: the transaction was rolled
            # back, so there is nothing to log or report as imported.
            messages.error(
                request, "Nothing was imported: some rows are no longer right. Import again."
            )
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            )
        return super().process_result(result, request)


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
class SeatAdmin(PortalImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [SeatResource]
    list_display = ["title", "group", "board", "kind", "voting", "created_on", "closed_on"]
    list_filter = ["kind", "voting", "board"]
    # Closing a seat checks its terms first: the staff's seat page does it.
    readonly_fields = ["closed_on"]
    list_select_related = ["board", "group"]
    search_fields = ["title", "group__name", "board__name"]


class UsualJourneyInline(admin.TabularInline):
    model = UsualJourney
    extra = 0


class TrainingInline(admin.TabularInline):
    model = Training
    extra = 0


@admin.register(Rep)
class RepAdmin(PortalImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [RepResource]
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
class TermAdmin(PortalImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [TermResource]
    list_display = ["rep", "seat", "start", "planned_end", "ended_on", "how_recruited"]
    list_filter = ["how_recruited", "exit_interview_held", "seat__board"]
    list_select_related = ["rep", "seat", "seat__group"]
    search_fields = ["rep__full_name", "seat__title", "seat__board__name"]
    raw_id_fields = ["rep", "seat", "handed_over_to"]
    date_hierarchy = "start"
    inlines = [InductionItemInline]


@admin.register(InductionItemTemplate)
class InductionItemTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "board", "order", "active", "document"]
    list_filter = ["active", ("board", admin.EmptyFieldListFilter), "board"]
    list_select_related = ["board", "document"]
    search_fields = ["title"]


class DocumentAdminForm(forms.ModelForm):
    """The file is checked by its content (`reps.documents`), as on the staff pages."""

    upload = DocumentFileField(label="File", required=False, help_text=FILE_HINT)

    class Meta:
        model = Document
        fields = ["board", "title", "kind", "public"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not cleaned.get("upload") and "upload" not in self.errors:
            self.add_error("upload", "Choose the document's file.")
        return cleaned


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    """National documents (no board) are added here; each board's staff add their own.

    Every change goes through `reps.services`, so the file is stored and its history kept as on
    the staff pages.
    """

    form = DocumentAdminForm
    list_display = ["title", "board", "kind", "public", "file_type", "uploaded_at"]
    list_filter = ["kind", "public", ("board", admin.EmptyFieldListFilter), "board"]
    list_select_related = ["board"]
    search_fields = ["title"]
    readonly_fields = ["file_type", "file_size", "uploaded_by", "uploaded_at"]

    def get_readonly_fields(self, request, obj=None):
        # A document stays with the board it was added for.
        return [*self.readonly_fields, "board"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {"title": data["title"], "kind": data["kind"], "public": data["public"]}
        if change:
            services.document_update(
                document=obj, by=request.user, checked=data.get("upload"), **fields
            )
            return
        made = services.document_add(
            board=data.get("board"), checked=data["upload"], by=request.user, **fields
        )
        # The admin goes on to log and show the object it was given.
        obj.pk = made.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.document_remove(document=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for document in queryset:
            services.document_remove(document=document, by=request.user)


@admin.register(Training)
class TrainingAdmin(PortalImportExportMixin, admin.ModelAdmin):
    resource_classes = [TrainingResource]
    list_display = ["course", "rep", "date", "provider", "hours", "cost"]
    list_filter = ["rep__board"]
    list_select_related = ["rep"]
    search_fields = ["course", "provider", "rep__full_name"]
    date_hierarchy = "date"


@admin.register(Budget)
class BudgetAdmin(SimpleHistoryAdmin):
    list_display = ["board", "financial_year", "training", "expenses"]
    list_filter = ["financial_year", "board"]
    list_select_related = ["board"]


@admin.register(NeedsConversation)
class NeedsConversationAdmin(SimpleHistoryAdmin):
    list_display = ["rep", "held_on"]
    list_filter = ["rep__board"]
    list_select_related = ["rep"]
    raw_id_fields = ["rep"]
    date_hierarchy = "held_on"


@admin.register(SupportRequest)
class SupportRequestAdmin(SimpleHistoryAdmin):
    list_display = ["what", "rep", "kind", "asked_on", "status", "answered_on"]
    list_filter = ["status", "kind", "rep__board"]
    list_select_related = ["rep"]
    search_fields = ["what", "rep__full_name"]
    raw_id_fields = ["rep"]
    date_hierarchy = "asked_on"


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["rep"]


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ["rep"]


@admin.register(Meeting)
class MeetingAdmin(PortalImportExportMixin, SimpleHistoryAdmin):
    # Attendance has no admin page of its own: it is brought in and out with the meetings.
    resource_classes = [MeetingResource, AttendanceResource]
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
