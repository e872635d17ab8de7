from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from naikkelas.core import pii, rules
from naikkelas.core.indexes import of_set_values
from naikkelas.core.models import Photo
from naikkelas.registry.kbli import SECTOR_CHOICES


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    VERIFIED = "verified", _("Verified")
    ARCHIVED = "archived", _("Archived")
    MERGED = "merged", _("Merged into another record")


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


class LegalForm(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual (perorangan)")
    PT_PERORANGAN = "pt_perorangan", _("Sole-proprietor PT (PT perorangan)")
    CV = "cv", _("CV")
    PT = "pt", _("PT")
    FIRMA = "firma", _("Firma")
    COOPERATIVE = "cooperative", _("Cooperative (koperasi)")
    FOUNDATION = "foundation", _("Foundation (yayasan)")
    OTHER = "other", _("Other")


class Gender(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class Education(models.TextChoices):
    NONE = "none", _("No formal schooling")
    SD = "sd", _("Primary (SD)")
    SMP = "smp", _("Junior secondary (SMP)")
    SMA = "sma", _("Senior secondary (SMA/SMK)")
    DIPLOMA = "diploma", _("Diploma (D1–D4)")
    S1 = "s1", _("Bachelor (S1)")
    S2 = "s2", _("Master (S2)")
    S3 = "s3", _("Doctorate (S3)")


class Sentra(models.Model):
    """A business cluster (sentra), e.g. tempe chips in Sanan."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    kelurahan = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kelurahan")
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sentra")
        verbose_name_plural = _("sentra")

    def __str__(self) -> str:
        return self.name


class Owner(models.Model):
    """The person behind a business. NIK and phone are stored encrypted (core.pii)."""

    name = models.CharField(_("owner name"), max_length=150)
    nik_encrypted = models.TextField(blank=True, editable=False)
    # Indexed in Meta: a blind index is only ever looked up whole, so the LIKE index
    # Django adds beside a db_index'd text column would be upkeep for nothing.
    nik_index = models.CharField(max_length=64, blank=True, editable=False)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_index = models.CharField(max_length=64, blank=True, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    has_disability = models.BooleanField(_("person with disability"), default=False)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    education = models.CharField(
        _("formal education"), max_length=10, choices=Education.choices, blank=True
    )
    # The owner's home address may lie outside the city; the business address is the
    # one that scopes. Indexed in Meta: nothing looks it up by prefix.
    kelurahan = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("home kelurahan"),
        db_index=False,
    )
    street = models.CharField(_("home address"), max_length=255, blank=True)
    rt = models.PositiveSmallIntegerField(_("home RT"), null=True, blank=True)
    rw = models.PositiveSmallIntegerField(_("home RW"), null=True, blank=True)

    class Meta:
        verbose_name = _("owner")
        verbose_name_plural = _("owners")
        indexes = [
            models.Index(fields=["nik_index"], name="owner_nik_index"),
            models.Index(fields=["phone_index"], name="owner_phone_index"),
            models.Index(fields=["kelurahan"], name="owner_kelurahan"),
        ]

    def __str__(self) -> str:
        return self.name

    def set_nik(self, nik: str) -> None:
        self.nik_encrypted = pii.encrypt(nik)
        self.nik_index = pii.blind_index(nik)

    def set_phone(self, phone: str) -> None:
        self.phone_encrypted = pii.encrypt(phone)
        self.phone_index = pii.blind_index(phone)

    @property
    def nik(self) -> str:
        """Plaintext; only registry.services.reveal_personal_data should hand it to a user."""
        return pii.decrypt(self.nik_encrypted)

    @property
    def phone(self) -> str:
        return pii.decrypt(self.phone_encrypted)

    @property
    def nik_masked(self) -> str:
        return pii.mask_nik(self.nik)

    @property
    def phone_masked(self) -> str:
        return pii.mask_phone(self.phone)


class Business(models.Model):
    source_id = models.CharField(
        _("source key"),
        max_length=64,
        blank=True,
        # No index of its own: the partial unique constraint below serves every lookup
        # of a key (an equality with a non-blank key implies its condition).
        help_text=_("The SIDT id_data_badan_usaha of an imported record."),
    )
    # Indexed in Meta (the list's order); nothing looks a business name up by prefix, so
    # no LIKE twin.
    name = models.CharField(_("business name"), max_length=200)
    owner = models.ForeignKey(
        Owner, on_delete=models.PROTECT, related_name="businesses", verbose_name=_("owner")
    )
    # The owner's own login (business owner role), once they have one.
    owner_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_businesses",
        db_index=False,  # indexed in Meta over set values only, as the keys below
    )
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    kbli = models.CharField(_("KBLI code"), max_length=5, blank=True)
    sector = models.CharField(_("sector"), max_length=1, choices=SECTOR_CHOICES, blank=True)
    main_activity = models.CharField(_("main activity"), max_length=255, blank=True)
    main_product = models.CharField(_("main product"), max_length=255, blank=True)
    legal_form = models.CharField(
        _("legal form"), max_length=16, choices=LegalForm.choices, blank=True
    )
    reported_size_class = models.CharField(
        _("reported class"), max_length=8, choices=SizeClass.choices, blank=True
    )
    start_month = models.PositiveSmallIntegerField(
        _("start month"),
        null=True,
        blank=True,
        validators=[rules.month_validator],
    )
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    founding_capital = models.BigIntegerField(
        _("founding capital (Rp)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )

    # Indexed in Meta: (kelurahan, status) serves equality and joins; the LIKE index
    # serves the scope's prefix (kelurahan__code__startswith).
    kelurahan = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="businesses",
        verbose_name=_("kelurahan"),
        db_index=False,
    )
    rw = models.PositiveSmallIntegerField(_("RW"), null=True, blank=True)
    rt = models.PositiveSmallIntegerField(_("RT"), null=True, blank=True)
    street = models.CharField(_("street address"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # Metres, as the phone that took the position reported it; a curator is warned of a
    # doubtful one (core.rules.doubtful_accuracy).
    location_accuracy = models.FloatField(_("location accuracy (m)"), null=True, blank=True)
    photo_url = models.URLField(_("photo URL"), max_length=500, blank=True)
    sentra = models.ForeignKey(
        Sentra,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("sentra"),
        db_index=False,
    )
    exports = models.BooleanField(_("exports"), default=False)
    export_destinations = models.CharField(
        _("export destinations"),
        max_length=255,
        blank=True,
        help_text=_("Countries, e.g. Selandia Baru, Arab Saudi"),
    )

    # Workforce: the eight SIDT counts (paid/unpaid x male/female x with/without disability).
    paid_male = models.PositiveIntegerField(_("paid workers, male"), default=0)
    paid_female = models.PositiveIntegerField(_("paid workers, female"), default=0)
    paid_disabled_male = models.PositiveIntegerField(
        _("paid workers with disability, male"), default=0
    )
    paid_disabled_female = models.PositiveIntegerField(
        _("paid workers with disability, female"), default=0
    )
    unpaid_male = models.PositiveIntegerField(_("unpaid workers, male"), default=0)
    unpaid_female = models.PositiveIntegerField(_("unpaid workers, female"), default=0)
    unpaid_disabled_male = models.PositiveIntegerField(
        _("unpaid workers with disability, male"), default=0
    )
    unpaid_disabled_female = models.PositiveIntegerField(
        _("unpaid workers with disability, female"), default=0
    )

    # Indexed in Meta by (status, submitted_at), which serves status alone too.
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    status_reason = models.TextField(_("reason"), blank=True)
    # Set when a curator merged this record into another (dedup); the record stays so
    # that links and history keep working.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("merged into"), db_index=False,
    )  # fmt: skip
    # Optimistic concurrency: every write bumps it; an edit based on an older one is refused.
    version = models.PositiveIntegerField(default=1)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", db_index=False,
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", db_index=False,
    )  # fmt: skip

    # Provenance of an imported record (SIDT pulled_at, updated_at, source_page).
    source_pulled_at = models.DateTimeField(null=True, blank=True)
    source_updated_at = models.DateTimeField(null=True, blank=True)
    source_page = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        constraints = [
            models.UniqueConstraint(
                fields=["source_id"], condition=~Q(source_id=""), name="business_source_id_unique"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="business_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="business_longitude_range",
            ),
        ]
        # Every index is upkeep for each row an import adds: these are the ones a
        # query uses (registry/tests/test_indexes.py shows each one used).
        indexes = [
            models.Index(fields=["kelurahan", "status"]),
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["name"], name="business_name"),
            # Not unique: OSS issues the NIB to the pelaku usaha, and one NIB can cover
            # several outlets or activities. Looked up exactly (registration's warning,
            # an import's match by NIB and name, the linkage's pairs sharing a NIB).
            models.Index(fields=["nib"], condition=~Q(nib=""), name="business_nib"),
            models.Index(
                fields=["kelurahan"],
                name="business_kelurahan_like",
                opclasses=["varchar_pattern_ops"],
            ),
            of_set_values("owner_account", "business_owner_account"),
            of_set_values("sentra", "business_sentra"),
            of_set_values("merged_into", "business_merged_into"),
            of_set_values("created_by", "business_created_by"),
            of_set_values("verified_by", "business_verified_by"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def workforce_total(self) -> int:
        return (
            self.paid_male
            + self.paid_female
            + self.paid_disabled_male
            + self.paid_disabled_female
            + self.unpaid_male
            + self.unpaid_female
            + self.unpaid_disabled_male
            + self.unpaid_disabled_female
        )


class BusinessPhoto(Photo):
    """A photo of the business (its stall, its sign), taken by a volunteer on a visit."""

    folder = "usaha"
    folder_key = "business_id"

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="photos")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(Photo.Meta):
        verbose_name = _("business photo")
        verbose_name_plural = _("business photos")


class Basis(models.TextChoices):
    REPORTED = "reported", _("Reported by the owner")
    VERIFIED = "verified", _("Verified by a curator")


class FinancialRecord(models.Model):
    """One year's figures of a business, in integer rupiah; reported and verified kept apart."""

    # No index of its own: the unique (business, year, basis) serves the business alone.
    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="financials", db_index=False
    )
    year = models.PositiveSmallIntegerField(_("year"))
    basis = models.CharField(
        _("basis"), max_length=8, choices=Basis.choices, default=Basis.REPORTED
    )
    annual_sales = models.BigIntegerField(
        _("annual sales (Rp)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    capital = models.BigIntegerField(
        _("capital excluding land and buildings (Rp)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    assets = models.BigIntegerField(
        _("assets (Rp)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    evidence = models.TextField(_("evidence"), blank=True)
    # Indexed in Meta over set values only.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", db_index=False,
    )  # fmt: skip
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "basis"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "year", "basis"], name="financial_year_basis"
            ),
            models.CheckConstraint(
                condition=Q(annual_sales__isnull=True) | Q(annual_sales__gte=0), name="sales_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(capital__isnull=True) | Q(capital__gte=0), name="capital_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(assets__isnull=True) | Q(assets__gte=0), name="assets_nonneg"
            ),
        ]
        indexes = [of_set_values("recorded_by", "financial_recorded_by")]
        verbose_name = _("financial record")
        verbose_name_plural = _("financial records")

    def __str__(self) -> str:
        return f"{self.business_id} {self.year} {self.basis}"


class LegalityKind(models.TextChoices):
    NIB = "nib", _("NIB (business identification number)")
    PIRT = "pirt", _("PIRT (home-industry food permit)")
    BPOM = "bpom", _("BPOM registration")
    HALAL = "halal", _("Halal certificate")
    SNI = "sni", _("SNI certificate")
    HKI = "hki", _("Trademark / HKI")


class LegalityDocument(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="legality")
    kind = models.CharField(_("document"), max_length=8, choices=LegalityKind.choices)
    number = models.CharField(_("number"), max_length=64)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "-issued_on"]
        verbose_name = _("legality document")
        verbose_name_plural = _("legality documents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Product(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("product name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    price = models.BigIntegerField(
        _("price (Rp)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name


class ChannelKind(models.TextChoices):
    MARKETPLACE = "marketplace", _("Marketplace")
    SOCIAL = "social", _("Social media")
    WEBSITE = "website", _("Own website")
    MESSAGING = "messaging", _("WhatsApp / messaging")
    DELIVERY = "delivery", _("Food delivery app")
    CATALOGUE = "catalogue", _("Government catalogue")


class SalesChannel(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("channel type"), max_length=12, choices=ChannelKind.choices)
    name = models.CharField(_("platform"), max_length=80, help_text=_("e.g. Shopee, Instagram"))
    address = models.CharField(_("link or account"), max_length=255, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("sales channel")
        verbose_name_plural = _("sales channels")

    def __str__(self) -> str:
        return f"{self.name}"
