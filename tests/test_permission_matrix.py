"""Every URL and API endpoint, for every role: who gets in, who is refused, what changes.

A business in Balearjosari (the volunteer's kelurahan) is the subject. A role that cannot
see it gets 404, as if it did not exist; a role that sees it but may not do the action
gets 403; anonymous users go to the login page (web) or get 401 (API). A refused call
changes nothing.
"""

import datetime

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from conftest import BALEARJOSARI, PASSWORD, _user
from naikkelas.core.models import AuditEntry
from naikkelas.jobs.models import Job
from naikkelas.programs import cohorts, milestones, referrals
from naikkelas.programs import services as programmes
from naikkelas.programs.cohorts import Rule
from naikkelas.programs.models import Bank
from naikkelas.registry import services
from naikkelas.registry.models import Business, Product

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
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
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
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
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
    "business-list": (401, 200, 200, 200, 200, 200, 200, 200),
    "business-detail": (401, 200, 200, 200, 200, 200, 404, 200),
    "business-archive": (401, 405, 405, 405, 405, 405, 405, 405),
    "business-return-": (401, 405, 405, 405, 405, 405, 405, 405),
    "business-submit": (401, 405, 405, 405, 405, 405, 405, 405),
    "business-verify": (401, 405, 405, 405, 405, 405, 405, 405),
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
    "business_list": (302, 200, 200, 200, 200, 200, 200, 200),
    "business_create": (302, 200, 200, 403, 403, 200, 403, 403),
    "business_check_duplicates": (302, 200, 200, 403, 403, 200, 403, 403),
    "business_detail": (302, 200, 200, 200, 200, 200, 404, 200),
    "business_edit": (302, 200, 200, 403, 403, 200, 404, 403),
    "business_reveal": (405, 405, 405, 405, 405, 405, 405, 405),
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
        "milestone": ids["milestone_id"],
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
