from django.contrib import admin

from giamngheo.accounts.models import ApiToken, AreaRole


@admin.register(AreaRole)
class AreaRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "area"]
    list_filter = ["role"]
    raw_id_fields = ["area"]
    filter_horizontal = ["villages"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]
