"""Small helpers the HTML views share, and how to tell an API request from a page's."""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from naikkelas.core.errors import DomainError, FieldErrors

T = TypeVar("T")


def is_api_request(request: HttpRequest) -> bool:
    """Answered by the API (JSON) rather than a page: the error handlers that run outside
    DRF (a URL no route matches, the database away) answer in the API's kind."""
    return request.path.startswith("/api/")


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


def flash_refusal(request: HttpRequest, refusal: DomainError | forms.BaseForm) -> None:
    """A service's refusal, or an invalid form's errors, as one message on the next page
    (for the small action forms that post and redirect back)."""
    if isinstance(refusal, forms.BaseForm):
        detail = {k: [str(m) for m in v] for k, v in refusal.errors.items()}
    elif isinstance(refusal, FieldErrors):
        detail = refusal.errors
    else:
        detail = {"": [str(refusal.message)]}
    messages.error(request, " ".join(m for msgs in detail.values() for m in msgs))


def attempt(request: HttpRequest, done: str, action: Callable[[], T]) -> T | None:
    """Run a service call for a small action form that posts and redirects back, and say
    what happened either way: `done`, or the service's refusal (a DomainError) as the
    message on the next page; None then. A Forbidden passes through: 403, as everywhere."""
    try:
        result = action()
    except DomainError as e:
        flash_refusal(request, e)
        return None
    messages.success(request, done)
    return result
