from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINCE = 1, _("province")
    REGENCY = 2, _("regency/city")
    DISTRICT = 3, _("district (kecamatan)")
    VILLAGE = 4, _("village (kelurahan/desa)")


class RegionQuerySet(models.QuerySet["Region"]):
    def home(self) -> "RegionQuerySet":
        """The deployment's own regions: its kabupaten/kota and everything under it."""
        return self.filter(code__startswith=settings.NAIKKELAS_REGION + ".")

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
