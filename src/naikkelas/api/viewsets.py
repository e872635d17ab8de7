"""What the API's viewsets share."""

from typing import TypeVar

from django.db.models import Model
from rest_framework import status, viewsets
from rest_framework.response import Response

_M = TypeVar("_M", bound=Model)


class AnswersAsRead(viewsets.GenericViewSet[_M]):
    """Answers a write with the record as a read of it shows it."""

    def _respond(self, record: _M, code: int = status.HTTP_200_OK) -> Response:
        # Read again through the view's queryset: only it adds what a read shows beside
        # the model's own fields (a cohort's size, a programme's seats taken, prefetched
        # photos). No request in the serializer's context, as in the API's other write
        # answers: a photo's address stays relative.
        found = self.get_queryset().get(pk=record.pk)
        return Response(self.get_serializer_class()(found).data, code)
