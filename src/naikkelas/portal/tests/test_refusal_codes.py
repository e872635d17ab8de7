"""Every refusal of an invitation or a change request carries its own code, with its
message in the user's language, and nothing is written."""

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation

from naikkelas.accounts.models import User
from naikkelas.core.errors import FieldErrors
from naikkelas.portal import services
from naikkelas.portal.models import ChangeRequest, ChangeStatus

pytestmark = pytest.mark.django_db


def _refused(call: Callable[[], Any]) -> dict[str, list[tuple[str, str]]]:
    with translation.override("id"), pytest.raises(FieldErrors) as refused:
        call()
    return {f: [(r.code, r.message) for r in found] for f, found in refused.value.details.items()}


@pytest.mark.parametrize(
    ("nib", "email", "code", "message"),
    [
        ("1234567890123", "bukan-email", "email_format", "Masukkan alamat email dengan format yang benar."),
        ("1234567890123", "KURATOR@example.id", "email_of_staff", "E-mail ini milik akun petugas."),
        ("", "", "required", "Usaha ini belum punya NIB: isi e-mail pemilik untuk masuk."),
    ],
)  # fmt: skip
def test_an_invitation_names_its_bad_email_with_its_code(
    curator: Any, make_business: Any, nib: str, email: str, code: str, message: str
) -> None:
    User.objects.filter(pk=curator.pk).update(email="kurator@example.id")
    business = make_business(nib=nib)
    accounts = User.objects.count()

    invite = lambda: services.invite_owner(curator, business, email)  # noqa: E731

    assert _refused(invite) == {"email": [(code, message)]}
    business.refresh_from_db()
    assert (business.owner_account_id, User.objects.count()) == (None, accounts)


def test_a_change_request_names_what_is_wrong_with_it(curator: Any, make_business: Any) -> None:
    business = make_business(nib="1234567890123")
    owner, _path = services.invite_owner(curator, business)

    same = lambda: services.propose(owner, business, "correction", {"name": business.name})  # noqa: E731
    assert _refused(same) == {
        "__all__": [("nothing_changed", "Tidak ada yang berbeda dari data tercatat.")]
    }
    unknown = lambda: services.propose(owner, business, "hapus", {})  # noqa: E731
    assert _refused(unknown) == {"kind": [("invalid_choice", "Jenis perubahan tidak dikenal.")]}
    assert not ChangeRequest.objects.exists()

    request = services.propose(owner, business, "correction", {"name": "Nama Lain"})
    assert _refused(lambda: services.return_request(curator, request, " ")) == {
        "note": [("required", "Beri tahu pemilik alasannya.")]
    }
    request.refresh_from_db()
    assert request.status == ChangeStatus.PENDING
