import datetime
import re

import pytest
from django.urls import reverse

from conftest import PASSWORD
from naikkelas.core.models import AuditEntry
from naikkelas.programs import cohorts, referrals, services
from naikkelas.programs.cohorts import Rule
from naikkelas.programs.models import Cohort, Enrolment, Programme, Referral
from naikkelas.programs.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def test_a_manager_creates_a_programme_and_a_bad_one_changes_nothing(client, manager):
    _login(client, manager)
    bad = client.post(
        reverse("programme_create"),
        {"name": "Pelatihan Kemasan", "type": "packaging", "organiser": "Diskopindag",
         "organiser_kind": "office", "starts_on": "2026-03-01", "ends_on": "2026-02-01",
         "capacity": "20"},
    )  # fmt: skip
    assert bad.status_code == 200 and not Programme.objects.exists()
    assert "sebelum tanggal mulai" in bad.content.decode()
    good = client.post(
        reverse("programme_create"),
        {"name": "Pelatihan Kemasan", "type": "packaging", "organiser": "Diskopindag",
         "organiser_kind": "office", "starts_on": "2026-03-01", "ends_on": "2026-12-01",
         "capacity": "20", "criteria": ["packaging", "branding"]},
    )  # fmt: skip
    programme = Programme.objects.get()
    assert good.url == reverse("programme_detail", args=[programme.pk])
    assert programme.criteria == ["packaging", "branding"]


def test_the_cohort_is_previewed_saved_frozen_and_planned(client, manager, city, make_programme):
    make_programme(name="Desain Kemasan", criteria=["packaging"], capacity=3)
    _login(client, manager)
    preview = client.get(reverse("cohort_create"), {"size": "4", "quota_per_kecamatan": "2"})
    assert len(preview.context["preview"]) == 4 and not Cohort.objects.exists()
    saved = client.post(
        reverse("cohort_create"),
        {"name": "Prioritas 2026", "size": "4", "quota_per_kecamatan": "2"},
    )
    cohort = Cohort.objects.get()
    assert saved.url == reverse("cohort_detail", args=[cohort.pk]) and cohort.frozen_at is None
    client.post(reverse("cohort_action", args=[cohort.pk, "freeze"]))
    page = client.get(reverse("cohort_detail", args=[cohort.pk]))
    html = page.content.decode()
    assert 'id="frozen"' in html and "4 usaha siap teratas" in html
    assert (
        "Kemasan" in html and "packaging" not in html.split('id="members"')[1].split("</table>")[0]
    )
    plan = page.context["plan"]
    assert len(plan) == 3
    client.post(
        reverse("cohort_action", args=[cohort.pk, "plan"]),
        {"assign": [f"{a.business.pk}:{a.programme.pk}" for a in plan[:2]]},
    )
    assert Enrolment.objects.filter(cohort=cohort).count() == 2
    member = cohort.members.first()
    client.post(reverse("cohort_action", args=[cohort.pk, "remove"]), {"member": member.pk})
    member.refresh_from_db()
    assert member.removed_at is None  # frozen: refused without a reason
    client.post(
        reverse("cohort_action", args=[cohort.pk, "remove"]),
        {"member": member.pk, "reason": "Usaha pindah"},
    )
    member.refresh_from_db()
    assert member.removed_reason == "Usaha pindah"


def test_the_business_page_shows_programmes_and_a_manager_nominates(
    client, manager, city, make_programme
):
    programme = make_programme(name="Desain Kemasan", criteria=["packaging"])
    business = city[0]
    _login(client, manager)
    page = client.get(reverse("business_detail", args=[business.pk])).content.decode()
    assert 'id="recommended"' in page and "Desain Kemasan" in page
    client.post(reverse("programme_nominate", args=[programme.pk]), {"business": business.pk})
    enrolment = Enrolment.objects.get()
    client.post(reverse("enrolment_step", args=[enrolment.pk, "enrol"]))
    session = services.add_session(manager, programme, TODAY, "Kemasan")
    client.post(reverse("session_attendance", args=[session.pk]), {"present": [enrolment.pk]})
    client.post(
        reverse("enrolment_step", args=[enrolment.pk, "complete"]), {"outcome": "Siap cetak"}
    )
    enrolment.refresh_from_db()
    assert enrolment.status == "completed" and enrolment.attendance.get().present


def test_a_bank_answers_its_referral_on_the_web_and_not_another(client, manager, bank, city, banks):
    tugu, jatim = banks
    own = referrals.refer(manager, city[0], tugu, "kur_micro", 50_000_000, owner_consent=True)
    other = referrals.refer(manager, city[1], jatim, "kur_micro", 50_000_000)
    _login(client, bank)
    assert client.get(reverse("home")).url == reverse("referral_list")
    listed = client.get(reverse("referral_list")).content.decode()
    assert city[0].name in listed and city[1].name not in listed
    assert client.get(reverse("referral_detail", args=[other.pk])).status_code == 404
    assert (
        client.post(
            reverse("referral_detail", args=[other.pk]), {"decision": "approved", "amount": "1"}
        ).status_code
        == 404
    )
    refused = client.post(
        reverse("referral_detail", args=[own.pk]), {"decision": "approved", "amount": "-3"}
    )
    assert refused.status_code == 200 and Referral.objects.get(pk=own.pk).status == "sent"
    client.post(
        reverse("referral_detail", args=[own.pk]), {"decision": "approved", "amount": "45000000"}
    )
    assert Referral.objects.get(pk=own.pk).amount_approved == 45_000_000
    client.post(reverse("referral_reveal", args=[own.pk]))
    assert AuditEntry.objects.filter(action="referral.nik_revealed", actor_id=bank.pk).exists()


def test_an_outcome_is_recorded_from_the_business_page(client, manager, city):
    _login(client, manager)
    future = (TODAY + datetime.timedelta(days=3)).isoformat()
    client.post(
        reverse("milestone_record", args=[city[0].pk]),
        {"kind": "jobs", "occurred_on": future, "jobs": "3"},
    )
    assert not city[0].milestones.exists()
    client.post(
        reverse("milestone_record", args=[city[0].pk]),
        {"kind": "jobs", "occurred_on": TODAY.isoformat(), "jobs": "3"},
    )
    assert city[0].milestones.get().jobs == 3


PAGES = [
    ("programme_list", lambda o: []),
    ("programme_create", lambda o: []),
    ("programme_detail", lambda o: [o["programme"].pk]),
    ("programme_edit", lambda o: [o["programme"].pk]),
    ("cohort_list", lambda o: []),
    ("cohort_create", lambda o: []),
    ("cohort_detail", lambda o: [o["cohort"].pk]),
    ("referral_list", lambda o: []),
    ("referral_detail", lambda o: [o["own"].pk]),
    ("referral_detail", lambda o: [o["other"].pk]),
    ("session_attendance", lambda o: [o["session"].pk]),
]
# (page index, role) -> expected status; anything unlisted is 200.
EXPECTED = {
    "volunteer": {1: 403, 3: 403, 4: 403, 5: 403, 6: 404, 8: 404, 9: 404, 10: 403},
    "bank": {0: 200, 1: 403, 2: 404, 3: 404, 4: 403, 5: 403, 6: 404, 9: 404, 10: 404},
    "leader": {1: 403, 3: 403, 5: 403, 10: 403},
    "curator": {1: 403, 3: 403, 5: 403, 10: 403},
    "owner_user": {1: 403, 2: 200, 3: 403, 4: 403, 5: 403, 6: 404, 8: 404, 9: 404, 10: 403},
    "manager": {},
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_the_permission_matrix(client, request, role, manager, city, banks, make_programme):
    user = request.getfixturevalue(role)
    programme = make_programme()
    objects = {
        "programme": programme,
        "session": services.add_session(manager, programme, TODAY, "Pembukaan"),
        "cohort": cohorts.create_cohort(manager, "Prioritas", Rule(size=2)),
        "own": referrals.refer(manager, city[0], banks[0], "kur_micro", 1_000_000),
        "other": referrals.refer(manager, city[1], banks[1], "kur_micro", 1_000_000),
    }
    _login(client, user)
    for index, (name, args) in enumerate(PAGES):
        status = client.get(reverse(name, args=args(objects))).status_code
        assert status == EXPECTED[role].get(index, 200), (role, name, index)
    client.logout()
    for name, args in PAGES:
        assert client.get(reverse(name, args=args(objects))).status_code == 302


def test_the_business_page_lists_active_banks_to_refer_to_and_any_bank_for_an_outcome(
    client, manager, city, banks
):
    from naikkelas.programs.models import Bank

    Bank.objects.create(name="BPR Lama", code="bpr-lama", active=False)
    business = city[0]
    _login(client, manager)
    page = client.get(reverse("business_detail", args=[business.pk])).content.decode()

    def options(action: str) -> list[str]:
        form = page[page.index(f'action="{action}"') :]
        form = form[: form.index("</form>")]
        select = form[form.index('name="bank"') :]
        select = select[: select.index("</select>")]
        return re.findall(r"<option[^>]*>([^<]*)</option>", select)

    assert options(reverse("referral_create", args=[business.pk])) == [
        "---------", "BPR Tugu Arta", "Bank Jatim",
    ]  # fmt: skip
    assert options(reverse("milestone_record", args=[business.pk])) == [
        "---------", "BPR Lama", "BPR Tugu Arta", "Bank Jatim",
    ]  # fmt: skip
