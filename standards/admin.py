"""Read-only views of the framework editions and of each assessment's progress.

Nothing changes here: editions come from their files (`load_framework`), assessments change only
through `standards.services`, which lock the rows and keep the record. Scores, evidence and
actions are left out, so the admin cannot become a way round the blindness between the sides.
"""

from django.contrib import admin

from standards.models import AreaForDevelopment, Assessment, AssessmentEvent, Framework


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ["short_title", "year", "version", "slug", "loaded_at"]
    readonly_fields = ["slug", "version", "title", "short_title", "year", "published", "authors"]
    exclude = ["checksum"]


@admin.register(AreaForDevelopment)
class AreaForDevelopmentAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "recommendation"]
    list_filter = ["recommendation__framework"]
    list_select_related = ["recommendation", "recommendation__framework"]


class AssessmentEventInline(admin.TabularInline):
    model = AssessmentEvent
    extra = 0
    can_delete = False
    fields = ["at", "subject", "from_status", "to_status", "by", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # Each row is titled with its assessment, which names its board, and says who acted.
        return super().get_queryset(request).select_related("assessment__board", "by")


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["board", "year_label", "framework", "status", "published_at"]
    list_filter = ["status", "financial_year", "framework"]
    list_select_related = ["board", "framework"]
    fields = ["board", "financial_year", "framework", "status", "reps_deadline", "published_at"]
    readonly_fields = fields
    inlines = [AssessmentEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("board", "framework")
