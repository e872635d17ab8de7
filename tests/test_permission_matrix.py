"""Every URL and API endpoint, for every role: who gets in, who is refused, what changes.

A business in Balearjosari (the volunteer's kelurahan) is the subject. A role that cannot
see it gets 404, as if it did not exist; a role that sees it but may not do the action
gets 403; anonymous users go to the login page (web) or get 401 (API). A refused call
changes nothing.
"""

import datetime
import inspect
import io
import json

import PIL.Image
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, Max
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import BALEARJOSARI, NIK_MAN, PASSWORD, _user, api_token
from naikkelas.core.models import AuditEntry
from naikkelas.jobs.models import Job
from naikkelas.portal.models import LinkOffer
from naikkelas.programs import cohorts, milestones, referrals
from naikkelas.programs import services as programmes
from naikkelas.programs.cohorts import Rule
from naikkelas.programs.models import Bank, Cohort
from naikkelas.registry import services
from naikkelas.registry.models import Business, Owner, Product

ROLES = ["anonymous", "admin", "curator", "manager", "leader", "volunteer", "other_volunteer", "bank", "owner"]  # fmt: skip
CITY = {"admin", "curator", "manager", "leader"}
IN_SCOPE = CITY | {"volunteer"}
REGISTER = {"admin", "curator", "volunteer"}
CURATE = {"admin", "curator"}
AUTHENTICATED = set(ROLES) - {"anonymous"}

# (name, method, url, allowed roles, status when allowed, state check after an allowed call)
WEB = [
    ("home", "get", lambda b: reverse("home"), AUTHENTICATED, 302),
    ("list", "get", lambda b: reverse("business_list"), AUTHENTICATED, 200),
    ("create", "get", lambda b: reverse("business_create"), REGISTER | {"other_volunteer"}, 200),
    ("detail", "get", lambda b: reverse("business_detail", args=[b.pk]), IN_SCOPE, 200),
    ("edit", "get", lambda b: reverse("business_edit", args=[b.pk]), REGISTER, 200),
    ("queue", "get", lambda b: reverse("curation_queue"), CURATE, 200),
    ("reveal", "post", lambda b: reverse("business_reveal", args=[b.pk]), CURATE, 200),
    ("submit", "post", lambda b: reverse("business_transition", args=[b.pk, "submit"]), REGISTER, 302),
    ("archive", "post", lambda b: reverse("business_transition", args=[b.pk, "archive"]), CURATE, 302),
    ("financial", "post", lambda b: reverse("business_add_financial", args=[b.pk]), REGISTER, 302),
    ("product", "post", lambda b: reverse("business_add_detail", args=[b.pk, "product"]), REGISTER, 302),
    ("remove", "post", lambda b: reverse("business_remove_detail", args=[b.pk, "product", b.products.get().pk]), REGISTER, 302),
    ("eligibility", "get", lambda b: reverse("eligibility_list"), AUTHENTICATED, 200),
    ("eligibility-xlsx", "get", lambda b: reverse("eligibility_list") + "?format=xlsx", AUTHENTICATED, 200),
    ("graduation-queue", "get", lambda b: reverse("graduation_queue"), CURATE, 200),
    ("list-xlsx", "get", lambda b: reverse("business_list") + "?format=xlsx", AUTHENTICATED, 200),
    ("list-csv", "get", lambda b: reverse("business_list") + "?format=csv", AUTHENTICATED, 200),
    ("check-duplicates", "get", lambda b: reverse("business_check_duplicates") + "?name=Usaha+Matriks", REGISTER | {"other_volunteer"}, 200),
    ("find-duplicates", "post", lambda b: reverse("duplicate_detection"), CURATE, 302),
    ("findings", "get", lambda b: reverse("finding_list"), AUTHENTICATED, 200),
    ("import", "get", lambda b: reverse("import_page"), CURATE, 200),
    ("import-template", "get", lambda b: reverse("import_template"), CURATE, 200),
    ("recompute", "post", lambda b: reverse("start_recompute"), CURATE, 302),
    ("duplicates", "get", lambda b: reverse("duplicate_queue"), CURATE, 200),
    # A job started by the system: only administrators see it; for anyone else it does
    # not exist.
    ("job", "get", lambda b: reverse("job_detail", args=[Job.objects.get(requested_by=None).pk]), {"admin"}, 200),
    ("dashboard", "get", lambda b: reverse("dashboard"), CITY, 200),
    ("targets", "get", lambda b: reverse("target_list"), {"admin"}, 200),
    ("report", "post", lambda b: reverse("start_report"), CITY, 302),
    ("unknown", "get", lambda b: "/tidak-ada/", set(), 404),
]  # fmt: skip
API = [
    ("api-list", "get", lambda b: "/api/v1/businesses/", AUTHENTICATED, 200),
    ("api-stats", "get", lambda b: "/api/v1/stats/", AUTHENTICATED, 200),
    ("api-detail", "get", lambda b: f"/api/v1/businesses/{b.pk}/", IN_SCOPE, 200),
    ("api-create", "post", lambda b: "/api/v1/businesses/", REGISTER, 201),
    ("api-update", "patch", lambda b: f"/api/v1/businesses/{b.pk}/", REGISTER, 200),
    ("api-submit", "post", lambda b: f"/api/v1/businesses/{b.pk}/submit/", REGISTER, 200),
    ("api-verify", "post", lambda b: f"/api/v1/businesses/{b.pk}/verify/", CURATE, 400),
    ("api-return", "post", lambda b: f"/api/v1/businesses/{b.pk}/return/", CURATE, 400),
    ("api-archive", "post", lambda b: f"/api/v1/businesses/{b.pk}/archive/", CURATE, 200),
]  # fmt: skip
BODIES = {
    "archive": {"reason": "Usaha tutup"},
    "financial": {"year": "2024", "basis": "reported", "annual_sales": "100000000"},
    "product": {"name": "Keripik Tempe 100 g"},
    "report": {"kind": "monthly", "month": "2025-02", "file_format": "pdf"},
    "api-create": {"name": "Usaha Baru", "owner_name": "Ani", "kelurahan": BALEARJOSARI},
    "api-update": {"street": "Jl. Raya Balearjosari 5", "version": 1},
    "api-archive": {"reason": "Usaha tutup"},
    "api-return": {"reason": "Data kurang"},
}


OBJECT_LEVEL = {"detail", "edit", "reveal", "submit", "archive", "financial", "product", "remove"}


def _refusal(role, name):
    if name == "unknown" or (name == "job" and role != "anonymous"):
        return 404
    if role == "anonymous":
        return 401 if name.startswith("api-") else 302
    sees_subject = role in IN_SCOPE
    object_level = name in OBJECT_LEVEL or (
        name.startswith("api-") and name not in ("api-list", "api-create")
    )
    if object_level and not sees_subject:
        return 404
    if name == "api-create" and role == "other_volunteer":
        return 400  # may register, but not in Balearjosari: a field error
    return 403


@pytest.fixture
def subject(make_business):
    business = make_business(kelurahan=BALEARJOSARI, name="Usaha Matriks")
    services.add_detail(business.created_by, business, "product", {"name": "Produk awal"})
    business.refresh_from_db()
    # The API update sends version 1; keep the subject at that version for every role.
    Business.objects.filter(pk=business.pk).update(version=1)
    business.refresh_from_db()
    Job.objects.create(kind="recompute")
    return business


def _client_for(role, client, db):
    if role == "anonymous":
        return client, None
    kelurahan = {"volunteer": (BALEARJOSARI,), "other_volunteer": ("35.73.04.1005",)}.get(role, ())
    model_role = {"other_volunteer": "volunteer"}.get(role, role)
    user = _user(f"matrix-{role}", model_role, kelurahan)
    return client, user


def _snapshot(business):
    b = Business.objects.get(pk=business.pk)
    return (b.status, b.street, b.version, Business.objects.count(), Product.objects.count(),
            b.financials.count(), Job.objects.count())  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,method,url,allowed,ok", WEB, ids=[w[0] for w in WEB])
def test_it_enforces_web_access(client, subject, role, name, method, url, allowed, ok):
    client, user = _client_for(role, client, None)
    if user is not None:
        client.login(username=user.username, password=PASSWORD)
    before = _snapshot(subject)
    response = getattr(client, method)(url(subject), BODIES.get(name, {}))
    if role in allowed:
        assert response.status_code == ok
        if method == "post" and name != "reveal":
            assert _snapshot(subject) != before, "an allowed write changed nothing"
    else:
        expected = _refusal(role, name)
        assert response.status_code == expected
        if expected == 302:
            assert response["Location"].startswith("/accounts/login/")
        assert _snapshot(subject) == before
        assert not AuditEntry.objects.filter(action="owner.personal_data_revealed").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,method,url,allowed,ok", API, ids=[a[0] for a in API])
def test_it_enforces_api_access(api_client, subject, role, name, method, url, allowed, ok):
    _client, user = _client_for(role, None, None)
    if user is not None:
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    before = _snapshot(subject)
    response = getattr(api_client, method)(url(subject), BODIES.get(name, {}), format="json")
    if role in allowed:
        # verify/return need a submitted record: allowed roles reach the workflow (400).
        assert response.status_code == ok, response.content
    else:
        assert response.status_code == _refusal(role, name), response.content
        assert _snapshot(subject) == before


@pytest.mark.django_db
def test_api_list_is_scoped_per_role(api_client, make_business):
    inside = make_business(kelurahan=BALEARJOSARI)
    make_business(kelurahan="35.73.04.1005")
    for role, expected in [
        ("admin", 2),
        ("leader", 2),
        ("volunteer", 1),
        ("bank", 0),
        ("owner", 0),
    ]:
        _c, user = _client_for(role, None, None)
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
        results = api_client.get("/api/v1/businesses/").json()["results"]
        assert len(results) == expected, role
        if role == "volunteer":
            assert results[0]["id"] == inside.pk


@pytest.mark.django_db
def test_an_owner_sees_only_their_own_business(client, make_business):
    own, other = make_business(), make_business()
    owner = _user("pemilik-matrix", "owner")
    Business.objects.filter(pk=own.pk).update(owner_account=owner)
    client.login(username=owner.username, password=PASSWORD)
    assert client.get(reverse("business_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("business_detail", args=[other.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_curators_record_assessments(client, subject, role):
    from naikkelas.graduation.models import Assessment

    _c, user = _client_for(role, client, None)
    if user is not None:
        client.login(username=user.username, password=PASSWORD)
    url = reverse("business_assess", args=[subject.pk])
    response = client.post(url, {"assessed_on": "2025-05-01", "packaging": "4"})
    expected = {"anonymous": 302, "admin": 302, "curator": 302, "manager": 403, "leader": 403,
                "volunteer": 403, "other_volunteer": 404, "bank": 404, "owner": 404}[role]  # fmt: skip
    assert response.status_code == expected
    assert Assessment.objects.exists() == (role in CURATE)


# --- Every URL the project resolves --------------------------------------------------
# One row per URL name: the GET status for each role, in URL_ROLES order. 200 means the
# role may open the page; 302 for anonymous is the login redirect (401 on the API); a
# signed-in role without the right gets 403, or 404 where the record is outside its
# scope; 405 marks a POST-only endpoint (its POSTs are checked above and in the apps).
# Ids 999999 stand for objects the fixture does not build (visits, complaints, duplicate
# pairs, graduations, targets, change requests): there the row records that the page is
# refused or not found for everyone, not who may open a real one.
# Left out: Django's admin (django-admin/, guarded by is_staff, outside the roles) and
# the development-only media route (no name; production serves MEDIA_ROOT itself).
URL_ROLES = ["anonymous", "admin", "curator", "manager", "leader", "volunteer", "bank", "owner"]
URLS = {
    "set_language": (302, 302, 302, 302, 302, 302, 302, 302),
    "login": (200, 302, 302, 302, 302, 302, 302, 302),
    "logout": (405, 405, 405, 405, 405, 405, 405, 405),
    "api_token": (405, 405, 405, 405, 405, 405, 405, 405),
    "api_schema": (200, 200, 200, 200, 200, 200, 200, 200),
    "api_docs": (200, 200, 200, 200, 200, 200, 200, 200),
    "api_stats": (401, 200, 200, 200, 200, 200, 200, 200),
    "api_rules": (401, 200, 200, 200, 200, 200, 200, 200),
    "business-list": (401, 200, 200, 200, 200, 200, 200, 200),
    "business-detail": (401, 200, 200, 200, 200, 200, 404, 200),
    "business-archive": (401, 405, 405, 405, 405, 405, 405, 405),
    "business-return-": (401, 405, 405, 405, 405, 405, 405, 405),
    "business-submit": (401, 405, 405, 405, 405, 405, 405, 405),
    "business-verify": (401, 405, 405, 405, 405, 405, 405, 405),
    "business-figures": (401, 405, 405, 405, 405, 405, 405, 405),
    "business-legality": (401, 405, 405, 405, 405, 405, 405, 405),
    "business-products": (401, 405, 405, 405, 405, 405, 405, 405),
    "business-photos": (401, 405, 405, 405, 405, 405, 405, 405),
    "visit-list": (401, 200, 200, 200, 200, 200, 200, 200),
    "visit-detail": (401, 404, 404, 404, 404, 404, 404, 404),
    "visit-photos": (401, 405, 405, 405, 405, 405, 405, 405),
    "complaint-list": (401, 200, 200, 200, 200, 200, 200, 200),
    "complaint-detail": (401, 404, 404, 404, 404, 404, 404, 404),
    "complaint-photos": (401, 405, 405, 405, 405, 405, 405, 405),
    "program-list": (401, 200, 200, 200, 200, 200, 200, 200),
    "program-detail": (401, 200, 200, 200, 200, 200, 404, 200),
    "program-attendance": (401, 405, 405, 405, 405, 405, 405, 405),
    "program-sessions": (401, 200, 200, 200, 200, 200, 404, 200),
    "cohort-list": (401, 200, 200, 200, 200, 200, 200, 200),
    "cohort-detail": (401, 200, 200, 200, 200, 404, 404, 404),
    "cohort-freeze": (401, 405, 405, 405, 405, 405, 405, 405),
    "cohort-members": (401, 200, 200, 200, 200, 404, 404, 404),
    "enrolment-list": (401, 200, 200, 200, 200, 200, 200, 200),
    "enrolment-detail": (401, 200, 200, 200, 200, 200, 404, 200),
    "enrolment-complete": (401, 405, 405, 405, 405, 405, 405, 405),
    "enrolment-drop": (401, 405, 405, 405, 405, 405, 405, 405),
    "enrolment-enrol": (401, 405, 405, 405, 405, 405, 405, 405),
    "referral-list": (401, 200, 200, 200, 200, 200, 200, 200),
    "referral-detail": (401, 200, 200, 200, 200, 404, 200, 200),
    "referral-answer": (401, 405, 405, 405, 405, 405, 405, 405),
    "milestone-list": (401, 200, 200, 200, 200, 200, 200, 200),
    "milestone-detail": (401, 200, 200, 200, 200, 200, 404, 200),
    "milestone-verify": (401, 405, 405, 405, 405, 405, 405, 405),
    "api-root": (401, 200, 200, 200, 200, 200, 200, 200),
    "catalogue": (200, 200, 200, 200, 200, 200, 200, 200),
    "catalogue_product": (404, 404, 404, 404, 404, 404, 404, 404),
    "sentra_list": (200, 200, 200, 200, 200, 200, 200, 200),
    "sentra_detail": (404, 404, 404, 404, 404, 404, 404, 404),
    "catalog_listing_edit": (302, 200, 200, 403, 403, 200, 404, 200),
    "catalog_photo_add": (302, 405, 405, 405, 405, 405, 405, 405),
    "visit_list": (302, 200, 200, 200, 200, 200, 200, 200),
    "visit_create": (302, 200, 200, 200, 403, 200, 403, 403),
    "visit_detail": (302, 404, 404, 404, 404, 404, 404, 404),
    "complaint_list": (302, 200, 200, 200, 200, 200, 200, 200),
    "complaint_overdue": (302, 200, 200, 200, 200, 200, 200, 200),
    "complaint_create": (302, 200, 200, 200, 403, 200, 403, 403),
    "complaint_detail": (302, 404, 404, 404, 404, 404, 404, 404),
    "complaint_action": (302, 405, 405, 405, 405, 405, 405, 405),
    "portal_home": (302, 302, 302, 302, 302, 302, 200, 302),
    "portal_business": (302, 200, 200, 200, 200, 200, 404, 200),
    "portal_apply": (302, 405, 405, 405, 405, 405, 405, 405),
    "portal_propose": (302, 404, 404, 404, 404, 404, 404, 404),
    "portal_invitation": (200, 200, 200, 200, 200, 200, 200, 200),
    "portal_invite": (302, 200, 200, 403, 403, 403, 404, 403),
    "portal_answer_offer": (405, 405, 405, 405, 405, 405, 405, 405),
    "portal_change_queue": (302, 200, 200, 200, 200, 200, 200, 200),
    "portal_change_detail": (302, 404, 404, 404, 404, 404, 404, 404),
    "duplicate_queue": (302, 200, 200, 403, 403, 403, 403, 403),
    "duplicate_detection": (405, 405, 405, 405, 405, 405, 405, 405),
    "duplicate_pair": (302, 404, 404, 404, 404, 404, 404, 404),
    "merge_undo": (405, 405, 405, 405, 405, 405, 405, 405),
    "business_assess": (405, 405, 405, 405, 405, 405, 405, 405),
    "eligibility_list": (302, 200, 200, 200, 200, 200, 200, 200),
    "start_recompute": (405, 405, 405, 405, 405, 405, 405, 405),
    "finding_list": (302, 200, 200, 200, 200, 200, 200, 200),
    "graduation_queue": (302, 200, 200, 403, 403, 403, 403, 403),
    "graduation_decide": (405, 405, 405, 405, 405, 405, 405, 405),
    "job_detail": (302, 200, 404, 404, 404, 404, 404, 404),
    "job_file": (302, 404, 404, 404, 404, 404, 404, 404),
    "programme_list": (302, 200, 200, 200, 200, 200, 200, 200),
    "programme_create": (302, 200, 403, 200, 403, 403, 403, 403),
    "programme_detail": (302, 200, 200, 200, 200, 200, 404, 200),
    "programme_edit": (302, 200, 403, 200, 403, 403, 404, 403),
    "programme_nominate": (405, 405, 405, 405, 405, 405, 405, 405),
    "programme_session_add": (405, 405, 405, 405, 405, 405, 405, 405),
    "session_attendance": (302, 200, 403, 200, 403, 403, 404, 403),
    "enrolment_step": (405, 405, 405, 405, 405, 405, 405, 405),
    "cohort_list": (302, 200, 200, 200, 200, 403, 403, 403),
    "cohort_create": (302, 200, 403, 200, 403, 403, 403, 403),
    "cohort_detail": (302, 200, 200, 200, 200, 404, 404, 404),
    "cohort_action": (405, 405, 405, 405, 405, 405, 405, 405),
    "referral_list": (302, 200, 200, 200, 200, 200, 200, 200),
    "referral_detail": (302, 200, 200, 200, 200, 404, 200, 200),
    "referral_reveal": (405, 405, 405, 405, 405, 405, 405, 405),
    "referral_create": (405, 405, 405, 405, 405, 405, 405, 405),
    "milestone_record": (405, 405, 405, 405, 405, 405, 405, 405),
    "milestone_verify": (405, 405, 405, 405, 405, 405, 405, 405),
    "dashboard": (302, 200, 200, 200, 200, 403, 403, 403),
    "target_list": (302, 200, 403, 403, 403, 403, 403, 403),
    "target_delete": (405, 405, 405, 405, 405, 405, 405, 405),
    "start_report": (405, 405, 405, 405, 405, 405, 405, 405),
    "cohort_impact": (302, 200, 200, 200, 200, 403, 403, 403),
    "import_page": (302, 200, 200, 403, 403, 403, 403, 403),
    "import_template": (302, 200, 200, 403, 403, 403, 403, 403),
    "import_confirm": (405, 405, 405, 405, 405, 405, 405, 405),
    "home": (302, 302, 302, 302, 302, 302, 302, 302),
    # The offline field app: its manifest and service worker hold no data, for anyone;
    # its pages for those who register businesses.
    "service_worker": (200, 200, 200, 200, 200, 200, 200, 200),
    "web_manifest": (200, 200, 200, 200, 200, 200, 200, 200),
    "field_home": (302, 200, 200, 403, 403, 200, 403, 403),
    "field_register": (302, 200, 200, 403, 403, 200, 403, 403),
    "field_edit": (302, 200, 200, 403, 403, 200, 403, 403),
    "field_visit": (302, 200, 200, 403, 403, 200, 403, 403),
    "field_complaint": (302, 200, 200, 403, 403, 200, 403, 403),
    "business_list": (302, 200, 200, 200, 200, 200, 200, 200),
    "business_create": (302, 200, 200, 403, 403, 200, 403, 403),
    "business_check_duplicates": (302, 200, 200, 403, 403, 200, 403, 403),
    "business_detail": (302, 200, 200, 200, 200, 200, 404, 200),
    "business_edit": (302, 200, 200, 403, 403, 200, 404, 403),
    "business_reveal": (405, 405, 405, 405, 405, 405, 405, 405),
    "business_link_owner": (405, 405, 405, 405, 405, 405, 405, 405),
    "business_add_financial": (405, 405, 405, 405, 405, 405, 405, 405),
    "business_add_detail": (405, 405, 405, 405, 405, 405, 405, 405),
    "business_remove_detail": (405, 405, 405, 405, 405, 405, 405, 405),
    "business_transition": (405, 405, 405, 405, 405, 405, 405, 405),
    "curation_queue": (302, 200, 200, 403, 403, 403, 403, 403),
}  # fmt: skip
MISSING = 999999


def _url_patterns(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) == "django-admin/":
                continue
            yield from _url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif pattern.name is not None and "format" not in pattern.pattern.regex.groupindex:
            # DRF's `.json` suffix twins share their route's name and access.
            yield pattern


def test_every_url_is_in_the_table():
    names = {pattern.name for pattern in _url_patterns()}
    assert names - set(URLS) == set(), "decide who may open these URLs"
    assert set(URLS) - names == set(), "the table names URLs that no longer exist"


@pytest.fixture
def city_objects(make_business, admin, manager):
    users = {"admin": admin, "manager": manager}
    for role in ("curator", "leader", "volunteer", "bank", "owner"):
        users[role] = _user(f"url-{role}", role, (BALEARJOSARI,) if role == "volunteer" else ())
    business = make_business(name="Usaha Matriks")
    services.add_detail(admin, business, "product", {"name": "Produk"})
    Business.objects.filter(pk=business.pk).update(owner_account=users["owner"])
    bank = Bank.objects.create(name="BPR Matriks", code="bpr-matriks")
    bank.staff.add(users["bank"])
    today = timezone.localdate()
    programme = programmes.create_programme(manager, {
        "name": "Pelatihan Matriks", "type": "training", "organiser": "Diskopindag",
        "starts_on": today, "ends_on": today + datetime.timedelta(days=9), "capacity": 5,
        "criteria": [],
    })  # fmt: skip
    product = business.products.get().pk
    ids = {
        "business_id": business.pk, "product_id": product, "item_id": product,
        "programme_id": programme.pk,
        "session_id": programmes.add_session(manager, programme, today, "Pembukaan").pk,
        "enrolment_id": programmes.nominate(manager, programme, business).pk,
        "cohort_id": cohorts.create_cohort(manager, "Prioritas", Rule(size=2)).pk,
        "referral_id": referrals.refer(manager, business, bank, "kur_micro", 1_000_000).pk,
        "milestone_id": milestones.record_milestone(manager, business, "jobs", today, {"jobs": 2}).pk,
        "job_id": Job.objects.create(kind="recompute", requested_by=admin).pk,
        "kind": "product", "verb": "submit", "action": "close", "uidb64": "MQ", "token": "x-y",
    }  # fmt: skip
    # The API's viewsets name their id `pk`: the object of the route's basename.
    ids["pk"] = {
        "business": business.pk, "program": programme.pk, "cohort": ids["cohort_id"],
        "enrolment": ids["enrolment_id"], "referral": ids["referral_id"],
        "milestone": ids["milestone_id"], "visit": MISSING, "complaint": MISSING,
    }  # fmt: skip
    return users, ids


def _reverse(pattern, ids):
    kwargs = {}
    for key in pattern.pattern.regex.groupindex:
        value = ids.get(key, MISSING)
        kwargs[key] = value[pattern.name.split("-")[0]] if key == "pk" else value
    return reverse(pattern.name, kwargs=kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("role", URL_ROLES)
def test_every_url_answers_each_role_as_the_table_says(client, city_objects, role):
    users, ids = city_objects
    if role != "anonymous":
        client.force_login(users[role])
    column = URL_ROLES.index(role)
    wrong = {}
    for pattern in _url_patterns():
        url = _reverse(pattern, ids)
        response = client.get(url)
        if response.status_code != URLS[pattern.name][column]:
            wrong[pattern.name] = (url, response.status_code, URLS[pattern.name][column])
        if (
            role == "anonymous"
            and response.status_code == 302
            and pattern.name
            not in (
                "set_language",
                "home",
            )
        ):
            assert response["Location"].startswith("/accounts/login/"), url
    assert wrong == {}, "(url, got, expected)"


# --- Every URL that takes a POST -----------------------------------------------------
# One row per write: the URL (its name, then any path argument or method that picks the
# action), and per role in URL_ROLES order either OK (the role may do it) or the refusal
# it gets: 302 to the login page for anonymous on the web, 401 on the API; 404 where the
# record is outside the role's scope; 403 where the role sees the record but may not act.
# The first rows are open to everyone by design (sign-in, sign-out, language, the
# owner's invitation link), so they have no refusal to check.
OK = 0
POSTS = {
    "set_language": (OK, OK, OK, OK, OK, OK, OK, OK),
    "login": (OK, OK, OK, OK, OK, OK, OK, OK),
    "logout": (OK, OK, OK, OK, OK, OK, OK, OK),
    "api_token": (OK, OK, OK, OK, OK, OK, OK, OK),
    "portal_invitation": (OK, OK, OK, OK, OK, OK, OK, OK),
    # The API (token auth, as a client program signs in).
    "business-list": (401, OK, OK, 403, 403, OK, 403, 403),
    "business-detail PUT": (401, OK, OK, 403, 403, OK, 404, 403),
    "business-detail PATCH": (401, OK, OK, 403, 403, OK, 404, 403),
    "business-submit": (401, OK, OK, 403, 403, OK, 404, 403),
    "business-verify": (401, OK, OK, 403, 403, 403, 404, 403),
    "business-return-": (401, OK, OK, 403, 403, 403, 404, 403),
    "business-archive": (401, OK, OK, 403, 403, 403, 404, 403),
    "business-figures": (401, OK, OK, 403, 403, OK, 404, 403),
    "business-legality": (401, OK, OK, 403, 403, OK, 404, 403),
    "business-products": (401, OK, OK, 403, 403, OK, 404, 403),
    "business-photos": (401, OK, OK, 403, 403, OK, 404, 403),
    "visit-list": (401, OK, OK, OK, 403, OK, 403, 403),
    "visit-photos": (401, OK, OK, OK, 403, OK, 404, 404),
    # The business the body names is outside the bank's sight (as for milestones).
    "complaint-list": (401, OK, OK, OK, 403, OK, 404, 403),
    "complaint-photos": (401, OK, OK, OK, 403, OK, 404, 404),
    "program-list": (401, OK, 403, OK, 403, 403, 403, 403),
    "program-detail PUT": (401, OK, 403, OK, 403, 403, 404, 403),
    "program-detail PATCH": (401, OK, 403, OK, 403, 403, 404, 403),
    "program-sessions": (401, OK, 403, OK, 403, 403, 404, 403),
    "program-attendance": (401, OK, 403, OK, 403, 403, 404, 403),
    "cohort-list": (401, OK, 403, OK, 403, 403, 403, 403),
    "cohort-freeze": (401, OK, 403, OK, 403, 404, 404, 404),
    "enrolment-list": (401, OK, 403, OK, 403, 403, 404, OK),
    "enrolment-enrol": (401, OK, 403, OK, 403, 403, 404, 403),
    "enrolment-complete": (401, OK, 403, OK, 403, 403, 404, 403),
    "enrolment-drop": (401, OK, 403, OK, 403, 403, 404, 403),
    "referral-list": (401, OK, OK, OK, 403, 403, 404, 403),
    "referral-answer": (401, 403, 403, 403, 403, 404, OK, 403),
    "milestone-list": (401, OK, OK, OK, 403, OK, 404, 403),
    "milestone-verify": (401, OK, OK, OK, 403, 403, 404, 403),
    # The web pages.
    "catalog_listing_edit": (302, OK, OK, 403, 403, OK, 404, OK),
    "catalog_photo_add": (302, OK, OK, 403, 403, OK, 404, OK),
    "visit_create": (302, OK, OK, OK, 403, OK, 403, 403),
    "complaint_create": (302, OK, OK, OK, 403, OK, 403, 403),
    "complaint_action action=assign": (302, OK, OK, OK, 403, 403, 404, 404),
    "complaint_action action=follow-up": (302, OK, OK, OK, 403, 403, 404, 404),
    "complaint_action action=enrol": (302, OK, 403, OK, 403, 403, 404, 404),
    "complaint_action action=refer": (302, OK, OK, OK, 403, 403, 404, 404),
    "portal_apply": (302, OK, 403, OK, 403, 403, 404, OK),
    "portal_propose kind=correction": (302, 403, 403, 403, 403, 403, 404, OK),
    "portal_propose kind=financials": (302, 403, 403, 403, 403, 403, 404, OK),
    "portal_invite": (302, OK, OK, 403, 403, 403, 404, 403),
    # An offer exists only for the account it is addressed to (the owner's).
    "portal_answer_offer verb=accept": (302, 404, 404, 404, 404, 404, 404, OK),
    "portal_answer_offer verb=decline": (302, 404, 404, 404, 404, 404, 404, OK),
    "portal_change_detail": (302, OK, OK, 403, 403, 403, 404, 403),
    "duplicate_detection": (302, OK, OK, 403, 403, 403, 403, 403),
    "duplicate_pair": (302, OK, OK, 403, 403, 403, 404, 404),
    "merge_undo": (302, OK, OK, 403, 403, 403, 404, 404),
    "business_assess": (302, OK, OK, 403, 403, 403, 404, 403),
    "start_recompute": (302, OK, OK, 403, 403, 403, 403, 403),
    "graduation_decide verb=confirm": (302, OK, OK, 403, 403, 403, 404, 403),
    "graduation_decide verb=reject": (302, OK, OK, 403, 403, 403, 404, 403),
    "programme_create": (302, OK, 403, OK, 403, 403, 403, 403),
    "programme_edit": (302, OK, 403, OK, 403, 403, 404, 403),
    "programme_nominate": (302, OK, 403, OK, 403, 403, 404, OK),
    "programme_session_add": (302, OK, 403, OK, 403, 403, 404, 403),
    "session_attendance": (302, OK, 403, OK, 403, 403, 404, 403),
    "enrolment_step verb=enrol": (302, OK, 403, OK, 403, 403, 404, 403),
    "enrolment_step verb=complete": (302, OK, 403, OK, 403, 403, 404, 403),
    "enrolment_step verb=drop": (302, OK, 403, OK, 403, 403, 404, 403),
    "cohort_create": (302, OK, 403, OK, 403, 403, 403, 403),
    "cohort_action verb=freeze": (302, OK, 403, OK, 403, 404, 404, 404),
    "cohort_action verb=add": (302, OK, 403, OK, 403, 404, 404, 404),
    "cohort_action verb=remove": (302, OK, 403, OK, 403, 404, 404, 404),
    "cohort_action verb=plan": (302, OK, 403, OK, 403, 404, 404, 404),
    "referral_detail": (302, 403, 403, 403, 403, 404, OK, 403),
    "referral_reveal": (302, OK, OK, 403, 403, 404, OK, 403),
    "referral_create": (302, OK, OK, OK, 403, 403, 404, 403),
    "milestone_record": (302, OK, OK, OK, 403, OK, 404, 403),
    "milestone_verify": (302, OK, OK, OK, 403, 403, 404, 403),
    "target_list": (302, OK, 403, 403, 403, 403, 403, 403),
    "target_delete": (302, OK, 403, 403, 403, 403, 403, 403),
    "start_report": (302, OK, OK, OK, OK, 403, 403, 403),
    "import_page": (302, OK, OK, 403, 403, 403, 403, 403),
    "import_confirm": (302, OK, OK, 403, 403, 403, 403, 403),
    "business_create": (302, OK, OK, 403, 403, OK, 403, 403),
    "business_edit": (302, OK, OK, 403, 403, OK, 404, 403),
    "business_reveal": (302, OK, OK, 403, 403, 403, 404, 403),
    "business_link_owner": (302, OK, OK, 403, 403, 403, 404, 403),
    "business_add_financial": (302, OK, OK, 403, 403, OK, 404, 403),
    "business_add_detail kind=product": (302, OK, OK, 403, 403, OK, 404, 403),
    "business_remove_detail": (302, OK, OK, 403, 403, OK, 404, 403),
    "business_transition verb=submit": (302, OK, OK, 403, 403, OK, 404, 403),
    "business_transition verb=verify": (302, OK, OK, 403, 403, 403, 404, 403),
    "business_transition verb=return": (302, OK, OK, 403, 403, 403, 404, 403),
    "business_transition verb=archive": (302, OK, OK, 403, 403, 403, 404, 403),
}  # fmt: skip
# The same body for every role, valid for the action, so that only the permission can
# refuse it. "{name}" is the id of that fixture object; "upload" a fresh file per request.
POST_BODIES: dict[str, dict[str, object]] = {
    "login": {"username": "tidak-ada", "password": "salah"},
    "api_token": {"username": "tidak-ada", "password": "salah"},
    "set_language": {"language": "en", "next": "/"},
    "portal_invitation": {"new_password1": "Rahasia-baru-99", "new_password2": "Rahasia-baru-99"},
    "business-list": {"name": "Usaha Baru", "owner_name": "Ani", "kelurahan": BALEARJOSARI},
    "business-detail PUT": {"name": "Usaha Matriks", "owner_name": "Siti", "kelurahan": BALEARJOSARI, "street": "Jl. Raya 5", "version": "{version}"},
    "business-detail PATCH": {"street": "Jl. Raya Balearjosari 5", "version": "{version}"},
    "business-return-": {"reason": "Data kurang"},
    "business-archive": {"reason": "Usaha tutup"},
    "business-figures": {"year": 2024, "annual_sales": 100_000_000},
    "business-legality": {"kind": "pirt", "number": "P-IRT 2063573010123"},
    "business-products": {"name": "Keripik Tempe 250 g", "price": 15000},
    "business-photos": {"photo": "upload"},
    "visit-list": {"kind": "sahabat", "held_on": "2025-01-15", "kelurahan": BALEARJOSARI, "place": "Balai RW 2", "visitors": "Ani", "businesses": ["{business_id}"], "location_accuracy": 12.5},
    "visit-photos": {"photo": "upload"},
    "complaint-list": {"category": "permodalan", "text": "Butuh modal kerja", "business": "{business_id}"},
    "complaint-photos": {"photo": "upload"},
    "program-list": {"name": "Pelatihan Baru", "type": "training", "organiser": "Diskopindag", "starts_on": "2030-01-01", "ends_on": "2030-01-10", "capacity": 5},
    "program-detail PUT": {"name": "Pelatihan Matriks", "type": "training", "organiser": "Diskopindag", "starts_on": "2030-01-01", "ends_on": "2030-01-10", "capacity": 6},
    "program-detail PATCH": {"capacity": 6},
    "program-sessions": {"held_on": "2030-01-02", "title": "Sesi dua"},
    "program-attendance": {"present": ["{enrolment_id}"]},
    "cohort-list": {"name": "Kohort Baru", "size": 2},
    "enrolment-list": {"programme": "{programme_id}", "business": "{business_id}"},
    "enrolment-complete": {"outcome": "Lulus"},
    "enrolment-drop": {"reason": "Pindah"},
    "referral-list": {"business": "{business_id}", "bank": "bpr-matriks", "product": "kur_micro", "amount_requested": 2_000_000},
    "referral-answer": {"decision": "declined", "note": "Agunan kurang"},
    "milestone-list": {"business": "{business_id}", "kind": "jobs", "occurred_on": "2025-01-15", "jobs": 3},
    "catalog_listing_edit": {"listed": "on", "contact_kind": "none", "contact": ""},
    "catalog_photo_add": {"photo": "upload"},
    "visit_create": {"kind": "sahabat", "held_on": "2025-01-15", "kelurahan": BALEARJOSARI, "place": "Balai RW 2", "visitors": "Ani"},
    "complaint_create": {"category": "permodalan", "text": "Butuh modal kerja", "business": "{business_id}"},
    "complaint_action action=assign": {"office": "{office_id}", "due_on": "2030-01-31", "note": "Mohon ditindaklanjuti"},
    "complaint_action action=follow-up": {"status": "ditindaklanjuti", "note": "Sudah dihubungi"},
    "complaint_action action=enrol": {"programme": "{programme_id}"},
    "complaint_action action=refer": {"bank": "{bank_id}", "product": "kur_micro", "amount": 2_000_000},
    "portal_apply": {"programme": "{programme_id}"},
    "portal_propose kind=correction": {"name": "Usaha Matriks Jaya"},
    "portal_propose kind=financials": {"year": "2024", "annual_sales": "150000000"},
    "portal_invite": {"email": "pemilik.baru@example.com"},
    "portal_change_detail": {"decision": "return", "note": "Mohon lampirkan bukti"},
    "duplicate_pair": {"decision": "distinct"},
    "business_assess": {"assessed_on": "2025-05-01", "packaging": "4"},
    "graduation_decide verb=confirm": {"evidence_kind": "tax_return", "evidence_note": "SPT 2024"},
    "graduation_decide verb=reject": {"reason": "Omzet belum terbukti"},
    "programme_create": {"name": "Pelatihan Web", "type": "training", "organiser": "Diskopindag", "organiser_kind": "city", "starts_on": "2030-01-01", "ends_on": "2030-01-10", "capacity": "5"},
    "programme_edit": {"name": "Pelatihan Matriks", "type": "training", "organiser": "Diskopindag", "organiser_kind": "city", "starts_on": "2030-01-01", "ends_on": "2030-01-10", "capacity": "6"},
    "programme_nominate": {"business": "{business_id}"},
    "programme_session_add": {"held_on": "2030-01-02", "title": "Sesi dua"},
    "session_attendance": {"present": "{enrolment_id}"},
    "enrolment_step verb=complete": {"outcome": "Lulus"},
    "enrolment_step verb=drop": {"reason": "Pindah"},
    "cohort_create": {"name": "Kohort Web", "size": "2"},
    "cohort_action verb=add": {"business": "{other_business_id}", "reason": "Rekomendasi lurah"},
    "cohort_action verb=remove": {"member": "{member_id}", "reason": "Pindah kota"},
    "cohort_action verb=plan": {"assign": "{business_id}:{programme_id}"},
    "referral_detail": {"decision": "declined", "note": "Agunan kurang"},
    "referral_create": {"bank": "{bank_id}", "product": "kur_micro", "amount_requested": "2000000"},
    "milestone_record": {"kind": "jobs", "occurred_on": "2025-01-15", "jobs": "3"},
    "target_list": {"indicator": "registered", "starts_on": "2025-01", "ends_on": "2025-12", "value": "100"},
    "start_report": {"kind": "monthly", "month": "2025-02", "file_format": "pdf"},
    "import_page": {"file": "upload", "format": ""},
    "business_create": {"name": "Usaha Web", "owner_name": "Ani", "kelurahan": BALEARJOSARI, "kbli": "10792", "rw": "2", "rt": "3", "not_a_duplicate": "on"},
    "business_edit": {"name": "Usaha Matriks", "owner_name": "Siti", "kelurahan": BALEARJOSARI, "kbli": "10792", "rw": "2", "rt": "4", "version": "{version}", "not_a_duplicate": "on"},
    "business_add_financial": {"year": "2024", "basis": "reported", "annual_sales": "100000000"},
    "business_add_detail kind=product": {"name": "Keripik Tempe 100 g"},
    "business_transition verb=return": {"reason": "Data kurang"},
    "business_transition verb=archive": {"reason": "Usaha tutup"},
}  # fmt: skip
# Tables a request writes whatever the permission: the session (sign-in, messages), the
# sign-in attempt log of django-axes, and the monitoring roll-ups, which any read may
# refresh. Reference data nobody writes through a page is counted, not read whole.
NOT_STATE = {"sessions.Session", "axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog",
             "axes.AccessAttemptExpiration", "monitoring.Tally", "monitoring.TallyState",
             "monitoring.Change"}  # fmt: skip
REFERENCE = {"regions.Region", "auth.Permission", "contenttypes.ContentType"}


def _accepts_post(pattern):
    """Whether the route takes a write: a viewset action on POST/PUT/PATCH, a class-based
    view with a handler for one, or a function view that reads a POST (its source says
    so, `require_POST` included)."""
    callback = pattern.callback
    writes = {"post", "put", "patch"}
    if hasattr(callback, "actions"):
        return bool(writes & set(callback.actions))
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        return any(hasattr(view_class, method) for method in writes)
    return "POST" in inspect.getsource(inspect.unwrap(callback))


def test_every_url_that_takes_a_post_is_in_the_post_table():
    takes_post = {pattern.name for pattern in _url_patterns() if _accepts_post(pattern)}
    in_table = {row.split()[0] for row in POSTS}
    assert takes_post - in_table == set(), "decide who may POST to these URLs"
    assert in_table - takes_post == set(), "the table names URLs that take no POST"
    assert set(POST_BODIES) <= set(POSTS)


def _fingerprint():
    """Every row of every table that holds state (the reference tables by count and
    highest id): a refused POST must leave all of them as they were."""
    state = {}
    for model in apps.get_models():
        label = model._meta.label
        if model._meta.proxy or label in NOT_STATE:
            continue
        rows = model._default_manager.order_by("pk")
        if label in REFERENCE:
            state[label] = rows.aggregate(n=Count("pk"), last=Max("pk"))
        else:
            fields = [f.attname for f in model._meta.concrete_fields]
            state[label] = list(rows.values_list(*fields))
    return state


@pytest.fixture
def post_objects(city_objects, make_business):
    """The GET matrix's objects, and the ones its placeholders stand for, so that every
    write has a real record to refuse."""
    from naikkelas.dedup import services as dedup
    from naikkelas.dedup.models import DuplicatePair
    from naikkelas.engagement import services as engagement
    from naikkelas.engagement.models import Office
    from naikkelas.graduation.models import Graduation, SizePolicy
    from naikkelas.monitoring import services as monitoring
    from naikkelas.portal import services as portal

    users, ids = city_objects
    admin, manager = users["admin"], users["manager"]
    business = Business.objects.get(pk=ids["business_id"])
    today = timezone.localdate()
    # All in the volunteer's kelurahan: the volunteer sees the records and is refused
    # for the role, not the scope.
    twin, kept, gone = (make_business(name=f"Usaha Matriks {n}") for n in (2, 3, 4))
    pair = DuplicatePair.objects.create(
        a_id=min(business.pk, twin.pk), b_id=max(business.pk, twin.pk), probability=0.9
    )
    visit = engagement.record_visit(admin, {
        "kind": "sahabat", "held_on": today, "kelurahan": business.kelurahan,
        "place": "Balai RW 2", "visitors": "Ani",
    }, businesses=[business])  # fmt: skip
    complaint = engagement.record_complaint(
        admin, {"category": "permodalan", "text": "Butuh modal"}, business=business
    )
    graduation = Graduation.objects.create(
        business=business, from_year=2023, to_year=2024, from_class="micro", to_class="small",
        from_sales=1_000_000, to_sales=3_000_000_000, size_policy=SizePolicy.in_force(),
    )  # fmt: skip
    target = monitoring.create_target(admin, {
        "indicator": "registered", "starts_on": datetime.date(2025, 1, 1),
        "ends_on": datetime.date(2025, 12, 1), "value": 10,
    })  # fmt: skip
    change = portal.propose(
        users["owner"], business, "financials", {"year": 2024, "annual_sales": 5_000_000}
    )
    ids.update(
        version=Business.objects.get(pk=business.pk).version,
        other_business_id=twin.pk,
        pair_id=pair.pk,
        merge_id=dedup.merge_businesses(admin, None, kept, gone, {}).pk,
        visit_id=visit.pk,
        complaint_id=complaint.pk,
        pk={**ids["pk"], "visit": visit.pk, "complaint": complaint.pk},
        office_id=Office.objects.create(name="Diskopindag Matriks").pk,
        bank_id=Bank.objects.get(code="bpr-matriks").pk,
        graduation_id=graduation.pk,
        target_id=target.pk,
        request_id=change.pk,
        # A curator's import awaiting confirmation (the administrator sees every job).
        job_id=Job.objects.create(kind="import", requested_by=users["curator"]).pk,
    )
    # The business registered a second time, its owner's first record elsewhere: the
    # curator's link step has something to link.
    twin.owner.set_nik(NIK_MAN)
    twin.owner.save()
    second_record = Owner(name=business.owner.name)
    second_record.set_nik(NIK_MAN)
    second_record.save()
    Business.objects.filter(pk=business.pk).update(owner=second_record)
    ids["offer_id"] = LinkOffer.objects.create(
        business=kept, account=users["owner"], offered_by=admin
    ).pk
    cohort = Cohort.objects.get(pk=ids["cohort_id"])
    ids["member_id"] = cohorts.add_member(manager, cohort, business, "Siap").pk
    return users, ids


def _upload(name):
    """A fresh file per request: a small real image for photos, an import file else."""
    if name == "catalog_photo_add" or name.endswith("-photos"):
        buffer = io.BytesIO()
        PIL.Image.new("RGB", (8, 8), "orange").save(buffer, "JPEG")
        return SimpleUploadedFile("foto.jpg", buffer.getvalue(), "image/jpeg")
    return SimpleUploadedFile("umkm.csv", b"nama_usaha\nUsaha Impor\n", "text/csv")


def _post(client, patterns, row, ids, token):
    name, *rest = row.split()
    method = next((part for part in rest if "=" not in part), "POST")
    overrides = dict(part.split("=", 1) for part in rest if "=" in part)
    pattern = patterns[name]
    url = _reverse(pattern, {**ids, **overrides})
    body = {
        key: _upload(name) if value == "upload" else
        [v.format(**ids) for v in value] if isinstance(value, list) else
        value.format(**ids) if isinstance(value, str) else value
        for key, value in POST_BODIES.get(row, {}).items()
    }  # fmt: skip
    if url.startswith("/api/"):
        headers = {"Authorization": f"Token {token}"} if token else {}
        if name.endswith("-photos"):  # an upload: multipart, as the phone sends it
            return client.post(url, body, headers=headers)
        return client.generic(
            method, url, json.dumps(body), content_type="application/json", headers=headers
        )
    return client.post(url, body)


@pytest.mark.django_db
@pytest.mark.parametrize("role", URL_ROLES)
def test_every_post_is_refused_to_roles_without_the_right(client, post_objects, role):
    users, ids = post_objects
    user = users.get(role)
    token = api_token(user) if user else None
    column = URL_ROLES.index(role)
    patterns = {pattern.name: pattern for pattern in _url_patterns()}
    wrong, changed = {}, []
    for row, statuses in POSTS.items():
        expected = statuses[column]
        if user is not None:
            # Signing out (or in) on the row before must not carry over.
            client.force_login(user)
        # Each write is rolled back, so every row starts from the same records.
        with transaction.atomic():
            before = _fingerprint()
            response = _post(client, patterns, row, ids, token)
            after = _fingerprint() if expected != OK else before
            transaction.set_rollback(True)
        got = response.status_code
        if expected == OK:
            refused = got in (401, 403, 404, 405) or (
                got == 302 and response["Location"].startswith("/accounts/login/")
            )
            # Signing out sends everyone to the login page: that is its success.
            if refused and row != "logout":
                wrong[row] = (got, "allowed")
            continue
        if got != expected or (
            got == 302 and not response["Location"].startswith("/accounts/login/")
        ):
            wrong[row] = (got, expected)
        if after != before:
            changed.append(
                (row, sorted(label for label in before if before[label] != after[label]))
            )
    assert changed == [], f"a refused POST changed these tables: {changed}"
    assert wrong == {}, f"(got, expected): {wrong}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", URL_ROLES)
def test_no_role_gets_a_password_link_for_an_existing_account(client, city_objects, role):
    """Inviting the e-mail of an account that exists links nothing and resets nothing,
    whoever asks (issue 22): at most, the account's owner is asked to accept."""
    users, ids = city_objects
    holder = users["owner"]
    holder.email = "pemilik.lama@example.com"
    holder.save()
    stranger = Business.objects.create(
        name="Usaha Lain", owner=Business.objects.get(pk=ids["business_id"]).owner,
        kelurahan=Business.objects.get(pk=ids["business_id"]).kelurahan,
    )  # fmt: skip
    if role != "anonymous":
        client.force_login(users[role])
    password = holder.password
    response = client.post(
        reverse("portal_invite", args=[stranger.pk]), {"email": "Pemilik.Lama@Example.com"}
    )
    assert "/pemilik/undangan/" not in response.content.decode()
    holder.refresh_from_db()
    stranger.refresh_from_db()
    assert holder.password == password and stranger.owner_account_id is None
    offered = LinkOffer.objects.filter(business=stranger, account=holder).exists()
    assert offered == (role in CURATE)
