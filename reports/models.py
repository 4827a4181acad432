"""Derived figures: one row per upper-level union and day with that day's flows.

Dashboards sum these rows instead of scanning members, so their cost grows with units and days,
not with members. Rows are rebuilt from the registers (`reports.stats`) inside the transaction
of every write that changes them, so they are never out of date.
"""

from django.db import models

from grassroots.models import DistrictUnion


class UnitDayStat(models.Model):
    district_union = models.ForeignKey(DistrictUnion, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    # Member flows. Stock on a day = sum of (in - out) flows up to and including it.
    admitted = models.IntegerField(default=0)  # admissions and rejoins (rule 1)
    transferred_in = models.IntegerField(default=0)  # from a CĐCS of another stay
    moved_in = models.IntegerField(default=0)  # members of a CĐCS that moved to this unit
    left = models.IntegerField(default=0)
    transferred_out = models.IntegerField(default=0)
    moved_out = models.IntegerField(default=0)
    # CĐCS flows.
    founded = models.IntegerField(default=0)  # rule 2
    founded_25plus = models.IntegerField(default=0)
    dissolved = models.IntegerField(default=0)
    grassroots_moved_in = models.IntegerField(default=0)
    grassroots_moved_out = models.IntegerField(default=0)

    class Meta:
        verbose_name = "số liệu ngày của đơn vị"
        verbose_name_plural = "số liệu ngày của đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["district_union", "day"], name="unitdaystat_unique"),
        ]
        indexes = [models.Index(fields=["day", "district_union"], name="unitdaystat_day_idx")]

    def __str__(self) -> str:
        return f"{self.district_union_id} {self.day:%d/%m/%Y}"

    FLOW_FIELDS = (
        "admitted",
        "transferred_in",
        "moved_in",
        "left",
        "transferred_out",
        "moved_out",
        "founded",
        "founded_25plus",
        "dissolved",
        "grassroots_moved_in",
        "grassroots_moved_out",
    )
