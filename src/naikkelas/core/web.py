"""Small helpers the HTML views share."""

from django import forms
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from naikkelas.core.errors import DomainError, FieldErrors


def show_on_form(form: forms.BaseForm, error: DomainError) -> None:
    """Put a service's refusal next to the fields it names, or above the form."""
    if isinstance(error, FieldErrors):
        for field, messages in error.errors.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, str(error.message))


def redirect_back(request: HttpRequest, fallback: str, *args: object) -> HttpResponseRedirect:
    """Back to the page that posted (`next`), if it is ours; else to `fallback`."""
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(next_url)
    return redirect(fallback, *args)
