"""A background job as people see it: what was asked, by whom, where it stands, and
what came of it (jobs/tasks.py runs them on the Celery worker)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from catalogue.models import FiscalYear
from jobs.registry import kind_of
from measures.models import Round
from organizations.models import Organization

# Beats a running job may miss before it counts as stopped (a worker killed, its
# machine gone): about a minute with the default ten-second beat.
HEARTBEAT_MISSED = 6


class Job(models.Model):
    class Kind(models.TextChoices):
        PUBLISH = "publish", "เผยแพร่รายงาน"
        DRAFT_PDF = "draft_pdf", "จัดทำไฟล์ PDF ฉบับร่าง"
        IMPORT = "import", "นำเข้ามาตรการจากไฟล์"
        ROLLOVER = "rollover", "ยกมาตรการไปปีงบประมาณถัดไป"
        RESULTS_IMPORT = "results_import", "นำเข้าผลการประเมิน ITA ของหลายหน่วยงาน"
        PUBLISH_ANALYSIS = "publish_analysis", "เผยแพร่การวิเคราะห์ผลการประเมิน"
        RESULTS_PREVIEW = "results_preview", "ตรวจสอบไฟล์ผลการประเมิน ITA ก่อนนำเข้า"

    class State(models.TextChoices):
        QUEUED = "queued", "รอคิว"
        RUNNING = "running", "กำลังทำงาน"
        DONE = "done", "เสร็จแล้ว"
        FAILED = "failed", "ไม่สำเร็จ"

    ACTIVE = (State.QUEUED, State.RUNNING)

    kind = models.CharField("งาน", max_length=16, choices=Kind.choices)
    # None for a job over many agencies (the national results import).
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="หน่วยงาน",
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="รอบการรายงาน",
    )
    fiscal_year = models.ForeignKey(
        FiscalYear,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ปีงบประมาณ",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="สั่งงานโดย",
    )
    state = models.CharField(
        "สถานะ", max_length=8, choices=State.choices, default=State.QUEUED, db_index=True
    )
    message = models.TextField("ผลของงาน", blank=True)
    details = models.JSONField("รายละเอียด", default=list, blank=True)
    # What the task needs beyond the fields above (file names, the target year...).
    params = models.JSONField("ข้อมูลสำหรับงาน", default=dict, blank=True)
    # Draft PDFs: the SHA-256 of what the PDF is made from (reports.pdf.drafts).
    content_sha256 = models.CharField("SHA-256 ของเนื้อหา", max_length=64, blank=True)
    # The row the job made, of its kind's model (a publication's PublishedReport).
    result_id = models.PositiveBigIntegerField("รหัสของสิ่งที่ได้", null=True, blank=True)
    result_file = models.CharField("ไฟล์ที่ได้", max_length=255, blank=True)
    task_id = models.CharField("รหัสงานใน Celery", max_length=64, blank=True)
    # What the job needs that must outlive the broker and the cache (a confirmed
    # import's rows); emptied when the job ends. Not shown in the admin.
    payload = models.JSONField("ข้อมูลที่งานต้องใช้", null=True, blank=True, editable=False)
    # Who holds a running job ("<worker node name>/<process id>"), and when it last
    # said it is alive (jobs.tasks beats every ITA_JOB_HEARTBEAT_SECONDS): a job whose
    # beat stopped, or whose worker started again, was stopped (jobs.recovery_services).
    worker = models.CharField("เครื่องประมวลผลงาน", max_length=200, blank=True)
    heartbeat_at = models.DateTimeField("แจ้งว่ายังทำงานอยู่เมื่อ", null=True, blank=True)
    # How many times a worker took it (a job that stops its worker every time is not
    # taken for ever), and when its message was last sent to the broker.
    attempts = models.PositiveSmallIntegerField("จำนวนครั้งที่เริ่มทำ", default=0)
    sent_at = models.DateTimeField("ส่งเข้าคิวเมื่อ", null=True, blank=True)
    created_at = models.DateTimeField("สั่งงานเมื่อ", auto_now_add=True, db_index=True)
    started_at = models.DateTimeField("เริ่มทำงานเมื่อ", null=True, blank=True)
    finished_at = models.DateTimeField("เสร็จเมื่อ", null=True, blank=True)

    class Meta:
        verbose_name = "งานเบื้องหลัง"
        verbose_name_plural = "งานเบื้องหลัง"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One publication of a round at a time, one render of the same draft: a
            # second request is answered with the job already under way.
            models.UniqueConstraint(
                fields=["kind", "round", "content_sha256"],
                condition=models.Q(state__in=["queued", "running"], round__isnull=False),
                name="job_one_active_per_subject",
            ),
        ]
        indexes = [models.Index(fields=["round", "kind", "-created_at"], name="job_round_kind")]

    def __str__(self) -> str:
        subject = self.round or self.fiscal_year or self.organization
        return f"{self.get_kind_display()} {subject} ({self.get_state_display()})"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE

    @property
    def is_stale(self) -> bool:
        """Still marked queued or running long after any worker would have taken or
        stopped it (no worker running, or one killed mid-job)."""
        now = timezone.now()
        if self.state == self.State.QUEUED:
            return self.created_at < now - timedelta(seconds=settings.ITA_JOB_QUEUE_SECONDS)
        if self.state == self.State.RUNNING:
            # Twice as long as a worker waits before running it again
            # (jobs.recovery_services): while any worker lives, it is run again first.
            return self.beat_stopped(now, beats=2 * HEARTBEAT_MISSED)
        return False

    def beat_stopped(self, now, beats: int = HEARTBEAT_MISSED) -> bool:
        """A running job whose worker has not said it is alive for `beats` beats; one
        run without beats (in the calling process: no broker) by the time limit, as a
        worker would stop it."""
        if self.heartbeat_at is not None:
            missed = beats * settings.ITA_JOB_HEARTBEAT_SECONDS
            return self.heartbeat_at < now - timedelta(seconds=missed)
        limit = settings.CELERY_TASK_TIME_LIMIT + 60
        return (self.started_at or self.created_at) < now - timedelta(seconds=limit)

    @property
    def status_text(self) -> str:
        """What the job is doing, or what came of it."""
        if self.is_active:
            waiting = " (รอคิว)" if self.state == self.State.QUEUED else ""
            return f"{kind_of(self.kind).working}{waiting}"
        return self.message

    @property
    def alert(self) -> str:
        """The Bootstrap alert colour of the status."""
        return {self.State.DONE: "success", self.State.FAILED: "danger"}.get(self.state, "info")

    def result_link(self) -> tuple[str, str] | None:
        """(Thai label, URL) of what a finished job made (its kind says)."""
        if self.state != self.State.DONE:
            return None
        return kind_of(self.kind).result_link(self)
