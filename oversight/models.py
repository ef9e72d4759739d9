"""The roll-up's summary rows: one agency's round at a glance."""

from django.db import models

from catalogue.models import FiscalYear
from measures.models import Round
from organizations.models import Organization


class RoundSummary(models.Model):
    """One agency's round at a glance, as the roll-up across agencies shows it
    (oversight.rollup): its measures by standing, how many are late, the divisions
    that have not reported, the round and its newest publication. Computed in the
    database and kept up to date by oversight.summaries; never edited by hand."""

    # Derived rows: no foreign keys in the database (their deferred checks at commit
    # made a refresh and a write wait for each other on PostgreSQL); Django deletes
    # the rows with their organization or year. Found through round_summary_once
    # and round_summary_year_kind.
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="หน่วยงาน",
        db_constraint=False,
        db_index=False,
    )
    fiscal_year = models.ForeignKey(
        FiscalYear,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="ปีงบประมาณ",
        db_constraint=False,
        db_index=False,
    )
    kind = models.PositiveSmallIntegerField("รอบการรายงาน", choices=Round.Kind.choices)
    # The measures of the year, and how many stand where in the round (progress.standing).
    measures = models.IntegerField("มาตรการ", db_default=0)
    done = models.IntegerField("ดำเนินการแล้วเสร็จ", db_default=0)
    awaiting_review = models.IntegerField("รอตรวจ", db_default=0)
    in_progress = models.IntegerField("อยู่ระหว่างดำเนินการ", db_default=0)
    not_started = models.IntegerField("ยังไม่ดำเนินการ", db_default=0)
    cannot = models.IntegerField("ไม่สามารถดำเนินการได้", db_default=0)
    done_percent = models.IntegerField("ร้อยละแล้วเสร็จ", db_default=0)
    late = models.IntegerField("มาตรการที่เลยกำหนด", db_default=0)
    divisions_not_reported = models.IntegerField("ส่วนราชการที่ยังไม่รายงาน", db_default=0)
    has_round = models.BooleanField("มีรอบการรายงานนี้", db_default=False)
    round_open = models.BooleanField("เปิดรับรายงาน", db_default=False)
    # The newest version the public link serves (withdrawn versions left out).
    published_version = models.PositiveIntegerField("ฉบับที่เผยแพร่", null=True)
    published_at = models.DateTimeField("วันที่เผยแพร่", null=True)
    last_activity = models.DateTimeField("ความเคลื่อนไหวล่าสุด", null=True)
    # The counts hold from `computed_on` through `fresh_through` ("late" moves with
    # the date); NULL: something changed since, compute again.
    computed_on = models.DateField("คำนวณเมื่อ", null=True)
    fresh_through = models.DateField("ใช้ได้ถึง", null=True)

    class Meta:
        db_table = "measures_roundsummary"
        verbose_name = "สรุปรอบการรายงานของหน่วยงาน"
        verbose_name_plural = "สรุปรอบการรายงานของหน่วยงาน"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year", "kind"], name="round_summary_once"
            )
        ]
        indexes = [models.Index(fields=["fiscal_year", "kind"], name="round_summary_year_kind")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.fiscal_year_id} {self.kind}"
