from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINCE = 1, _("province")
    REGENCY = 2, _("regency/city")
    DISTRICT = 3, _("district (kecamatan)")
    VILLAGE = 4, _("village (kelurahan/desa)")


def in_region(field: str, code: str) -> Q:
    """Rows whose region code, held in `field`, is `code` or a region under it, for any
    model that keeps one. The dot belongs to the prefix: 35.73.01 holds 35.73.01.1001,
    never 35.73.010."""
    return Q(**{field: code}) | Q(**{f"{field}__startswith": code + "."})


class RegionQuerySet(models.QuerySet["Region"]):
    def home(self) -> "RegionQuerySet":
        """The deployment's own regions: its kabupaten/kota and everything under it."""
        return self.filter(in_region("code", settings.NAIKKELAS_REGION))

    def kecamatan(self) -> "RegionQuerySet":
        return self.filter(level=Level.DISTRICT)

    def kelurahan(self) -> "RegionQuerySet":
        return self.filter(level=Level.VILLAGE)


class Region(models.Model):
    """A Kepmendagri region: PP, PP.KK, PP.KK.CC or PP.KK.CC.DDDD."""

    code = models.CharField(max_length=13, primary_key=True)
    name = models.CharField(max_length=100, db_index=True)
    level = models.PositiveSmallIntegerField(choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    population_male = models.PositiveIntegerField(null=True, blank=True)
    population_female = models.PositiveIntegerField(null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    # Boundaries are shipped for the home city's kelurahan only (GeoJSON geometry, WGS84).
    boundary = models.JSONField(null=True, blank=True)
    centroid_lat = models.FloatField(null=True, blank=True)
    centroid_lng = models.FloatField(null=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @property
    def kecamatan_code(self) -> str:
        return self.code[:8]

    @property
    def is_urban(self) -> bool:
        """In the village part, 1xxx is a kelurahan (urban), 2xxx a desa."""
        return self.level == Level.VILLAGE and self.code[9] == "1"
