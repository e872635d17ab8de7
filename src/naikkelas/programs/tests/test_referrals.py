import pytest
from django.urls import reverse

from conftest import PASSWORD
from naikkelas.core.errors import FieldErrors, Forbidden, InvalidTransition
from naikkelas.core.models import AuditEntry
from naikkelas.programs import referrals
from naikkelas.programs.access import referrals_for
from naikkelas.programs.models import Bank, MilestoneKind, ReferralStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(manager, city, banks):
    tugu, jatim = banks
    return (
        referrals.refer(manager, city[0], tugu, "kur_micro", 50_000_000, owner_consent=True),
        referrals.refer(manager, city[1], jatim, "kur_small", 200_000_000),
    )


def test_a_referral_amount_must_be_a_positive_rupiah_amount(manager, city, banks):
    for amount in (0, -1, "lima juta", 1.5, None):
        with pytest.raises(FieldErrors):
            referrals.refer(manager, city[0], banks[0], "kur_micro", amount)
    assert not city[0].referrals.exists()


def test_a_bank_sees_and_answers_only_its_own_referrals(bank, sent):
    own, other = sent
    assert list(referrals_for(bank)) == [own]
    with pytest.raises(Forbidden):
        referrals.answer_referral(bank, other, "approved", amount=100_000_000)
    other.refresh_from_db()
    assert other.status == ReferralStatus.SENT

    referrals.answer_referral(bank, own, "approved", amount=40_000_000)
    with pytest.raises(InvalidTransition):
        referrals.answer_referral(bank, own, "approved", amount=40_000_000)
    answered = referrals.answer_referral(bank, own, "disbursed", amount=40_000_000)
    assert answered.status == ReferralStatus.DISBURSED and answered.amount_disbursed == 40_000_000
    credit = own.business.milestones.get()
    assert (credit.kind, credit.amount, credit.bank) == (MilestoneKind.CREDIT, 40_000_000, own.bank)
    assert credit.verified_at is not None


def test_a_decline_needs_a_reason(bank, sent):
    with pytest.raises(FieldErrors):
        referrals.answer_referral(bank, sent[0], "declined")
    assert (
        referrals.answer_referral(bank, sent[0], "declined", note="Agunan kurang").status
        == "declined"
    )


def test_the_bank_sees_the_nik_masked_and_only_with_consent_in_full(bank, sent):
    own, _ = sent
    view = referrals.for_bank(own)
    assert "*" in view.nik_masked or view.nik_masked == ""
    own.business.owner.set_nik("3573014501800002")
    own.business.owner.save()
    assert referrals.reveal_nik(bank, own) == "3573014501800002"
    assert AuditEntry.objects.filter(action="referral.nik_revealed").count() == 1
    own.owner_consent = False
    with pytest.raises(Exception) as refused:
        referrals.reveal_nik(bank, own)
    assert getattr(refused.value, "code", "") == "no_consent"


def test_an_administrator_configures_a_partner_bank_and_it_is_audited(client, admin, bank):
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.login(username=admin.username, password=PASSWORD)
    client.post(
        reverse("admin:programs_bank_add"),
        {"name": "BPR Kota Malang", "code": "bpr-kota", "active": "on", "staff": [bank.pk]},
    )
    configured = Bank.objects.get(code="bpr-kota")
    assert list(configured.staff.all()) == [bank]
    assert AuditEntry.objects.filter(action="bank.configured").exists()
