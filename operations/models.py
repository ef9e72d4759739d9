from django.db import models


class PendingDeletion(models.Model):
    """A stored file whose row is gone, deleted from storage only once `due_at` has
    passed (operations.sweep_services): a backup that read the row before it went
    still finds the file (issue 18, item 8). Written in the same transaction as the
    row's removal, so a removal rolled back leaves none."""

    name = models.CharField("ชื่อไฟล์ในที่เก็บ", max_length=500)
    due_at = models.DateTimeField("ลบได้ตั้งแต่", db_index=True)

    class Meta:
        verbose_name = "ไฟล์ที่รอลบ"
        verbose_name_plural = "ไฟล์ที่รอลบ"

    def __str__(self) -> str:
        return self.name
