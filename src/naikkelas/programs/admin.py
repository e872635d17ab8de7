"""Partner banks are reference data an administrator configures."""

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from naikkelas.accounts.models import Role, User
from naikkelas.core import audit
from naikkelas.programs.models import Bank


class BankForm(forms.ModelForm):
    staff = forms.ModelMultipleChoiceField(
        queryset=User.objects.filter(role=Role.BANK), required=False
    )

    class Meta:
        model = Bank
        fields = ["name", "code", "active", "staff"]


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    form = BankForm
    list_display = ["name", "code", "active"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Referrals name their bank: retire a partner by making it inactive.
        return False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        bank = form.instance
        audit.record(
            cast(User, request.user), "bank.configured", bank,  # the admin is signed in
            {"active": (None, bank.active),
             "staff": (None, ", ".join(u.username for u in bank.staff.all()))},
        )  # fmt: skip
