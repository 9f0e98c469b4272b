from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from expenses.models import Claim, ClaimEvent, ClaimItem, ExpensePolicy, PaymentBatch


@admin.register(ExpensePolicy)
class ExpensePolicyAdmin(SimpleHistoryAdmin):
    list_display = ["board", "effective_from", "car_rate_first", "care_hourly_cap", "published_url"]
    list_filter = ["board"]
    date_hierarchy = "effective_from"


class ClaimItemInline(admin.TabularInline):
    model = ClaimItem
    extra = 0
    can_delete = False
    fields = ["date", "kind", "activity", "miles", "amount_claimed", "hourly_rate", "amount"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ClaimEventInline(admin.TabularInline):
    model = ClaimEvent
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "by", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    """Read-only: a claim changes only through the services, which lock it and keep the timeline."""

    list_display = ["reference", "rep", "board", "status", "total", "submitted_at"]
    list_filter = ["status", "board"]
    search_fields = ["reference", "rep__full_name"]
    list_select_related = ["rep", "board"]
    inlines = [ClaimItemInline, ClaimEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentBatch)
class PaymentBatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "claim_count", "total", "paid_on"]
    list_filter = ["board"]
    list_select_related = ["board"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
