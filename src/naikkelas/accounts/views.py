from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse


class LogoutView(auth_views.LogoutView):
    """Django's logout, telling the browser to delete what this site stored on the
    device: the offline app (fieldwork) keeps a volunteer's businesses and unsent work in
    IndexedDB and its pages in the service worker's caches, and none of it may stay for
    the next person using the phone. The app's own script deletes them first and warns
    when work is unsent; this covers a page where it did not run."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
