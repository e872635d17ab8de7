"""Policy versions are added by administrators and never edited afterwards."""

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from naikkelas.accounts.models import User
from naikkelas.core.errors import FieldErrors
from naikkelas.graduation import services
from naikkelas.graduation.models import ReadinessCriterion, ReadinessPolicy, SizePolicy


class _AppendOnly(admin.ModelAdmin):
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A version in use is history: change it by adding a newer one.
        if obj is not None:
            return [f.name for f in self.model._meta.fields]
        return super().get_readonly_fields(request, obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if not change:
            # The admin site lets signed-in staff only this far.
            services.adopt_policy(cast(User, request.user), form.instance)


class SizePolicyForm(forms.ModelForm):
    class Meta:
        model = SizePolicy
        fields = [
            "name", "effective_from", "micro_max_capital", "small_max_capital",
            "medium_max_capital", "micro_max_sales", "small_max_sales", "medium_max_sales",
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is not None:
            return cleaned  # a saved version is read-only: nothing was submitted to check
        try:
            services.check_size_thresholds(SizePolicy(**cleaned))
        except FieldErrors as e:
            raise ValidationError(e.errors) from None
        return cleaned


@admin.register(SizePolicy)
class SizePolicyAdmin(_AppendOnly):
    form = SizePolicyForm
    list_display = ["name", "effective_from", "micro_max_sales", "small_max_sales"]


class CriteriaFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise services.POLICY_CRITERIA.refuse()


class CriterionInline(admin.TabularInline):
    model = ReadinessCriterion
    formset = CriteriaFormSet
    extra = 8
    max_num = 8

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReadinessPolicy)
class ReadinessPolicyAdmin(_AppendOnly):
    inlines = [CriterionInline]
    fields = ["name", "effective_from", "pass_score"]
    list_display = ["name", "effective_from", "pass_score"]
