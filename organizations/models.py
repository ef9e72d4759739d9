"""Agencies and their people: provinces and districts, organizations, their
divisions, memberships (roles), and overseers' scopes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from organizations import reserved


class Province(models.Model):
    """One of Thailand's 77 provinces (กรุงเทพมหานคร counted among them), loaded by
    a data migration; `code` is the two-digit province code of TIS 1099."""

    code = models.CharField("รหัสจังหวัด", max_length=2, unique=True)
    name = models.CharField("ชื่อจังหวัด", max_length=64, unique=True)

    class Meta:
        db_table = "measures_province"
        verbose_name = "จังหวัด"
        verbose_name_plural = "จังหวัด"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """An อำเภอ (a เขต in Bangkok) of a province, added as agencies are placed."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="districts", verbose_name="จังหวัด"
    )
    name = models.CharField("ชื่ออำเภอ", max_length=128, help_text="เช่น อำเภอเมืองอุบลราชธานี")

    class Meta:
        db_table = "measures_district"
        verbose_name = "อำเภอ"
        verbose_name_plural = "อำเภอ"
        ordering = ["province__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name"],
                name="district_unique_name_per_province",
                violation_error_message="จังหวัดนี้มีอำเภอชื่อนี้อยู่แล้ว",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} จังหวัด{self.province.name}"


class OrganizationKind(models.TextChoices):
    """The kinds of agency the ITA assesses."""

    PAO = "pao", "องค์การบริหารส่วนจังหวัด"
    CITY_MUNICIPALITY = "city_municipality", "เทศบาลนคร"
    TOWN_MUNICIPALITY = "town_municipality", "เทศบาลเมือง"
    SUBDISTRICT_MUNICIPALITY = "subdistrict_municipality", "เทศบาลตำบล"
    SAO = "sao", "องค์การบริหารส่วนตำบล"
    SPECIAL_LOCAL = "special_local", "องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ"
    DEPARTMENT = "department", "ส่วนราชการ (กรม)"
    PROVINCE = "province", "จังหวัด"
    STATE_ENTERPRISE = "state_enterprise", "รัฐวิสาหกิจ"
    UNIVERSITY = "university", "มหาวิทยาลัย/สถาบันอุดมศึกษา"
    PUBLIC_ORGANIZATION = "public_organization", "องค์การมหาชน"
    INDEPENDENT = "independent", "องค์กรตามรัฐธรรมนูญและองค์กรอิสระ"
    COURT = "court", "หน่วยงานศาลและองค์กรอัยการ"
    OTHER_STATE = "other_state", "หน่วยงานอื่นของรัฐ"


class Organization(models.Model):
    class Origin(models.TextChoices):
        REAL = "", "หน่วยงานจริง"
        DEMO = "demo", "ข้อมูลสาธิต"
        GENERATED = "generated", "ข้อมูลจำลอง"

    slug = models.SlugField(
        "ชื่อย่อในลิงก์",
        unique=True,
        help_text="ตัวอักษรอังกฤษ ตัวเลข และขีด ใช้ในลิงก์สาธารณะ เช่น ubon-pao",
    )
    name = models.CharField("ชื่อหน่วยงาน", max_length=255)
    location = models.CharField(
        "ที่ตั้ง", max_length=255, blank=True, help_text="เช่น อำเภอเมืองอุบลราชธานี จังหวัดอุบลราชธานี"
    )
    # The report's digits: only numbers the portal writes follow these choices;
    # text people typed is printed as typed (reports.document).
    thai_digits = models.BooleanField(
        "ใช้เลขไทยในตัวเลขที่ระบบพิมพ์",
        default=True,
        help_text="เลขข้อของขั้นตอน วันที่ ปีงบประมาณในหัวเรื่อง และเลขหน้า ข้อความที่ผู้ใช้พิมพ์แสดงตามที่พิมพ์เสมอ",
    )
    cover_thai_digits = models.BooleanField(
        "ใช้เลขไทยบนหน้าปก", default=True, help_text="ปีงบประมาณ รอบ และช่วงเดือนบนหน้าปกรายงาน"
    )
    show_evidence_links = models.BooleanField(
        "แสดงลิงก์หลักฐานในรายงาน",
        default=True,
        help_text="ลิงก์หลักฐานที่บันทึกไว้พิมพ์ในคอลัมน์ผลการดำเนินการ ให้ผู้ประเมินเปิดดูได้",
    )
    kind = models.CharField(
        "ประเภทหน่วยงาน", max_length=32, choices=OrganizationKind.choices, blank=True
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name="จังหวัด",
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name="อำเภอ",
    )
    origin = models.CharField(
        "ที่มาของข้อมูล",
        max_length=16,
        choices=Origin.choices,
        blank=True,
        default=Origin.REAL,
        help_text="หน่วยงานสาธิต (load_seed) และหน่วยงานจำลอง (generate_agencies) ไม่ใช่หน่วยงานจริง",
    )

    class Meta:
        db_table = "measures_organization"
        verbose_name = "หน่วยงาน"
        verbose_name_plural = "หน่วยงาน"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        # A new or changed slug only: an agency that has one from before still saves.
        refused = reserved.refusal(self.slug)
        if refused and not Organization.objects.filter(pk=self.pk, slug=self.slug).exists():
            raise ValidationError({"slug": refused})
        if self.district_id and self.province_id and self.district.province_id != self.province_id:
            raise ValidationError(
                {"district": f"อำเภอนี้อยู่ในจังหวัด{self.district.province.name} ไม่ใช่จังหวัดที่เลือก"}
            )


class Division(models.Model):
    """A division of an organization, or one of the two collective wordings
    agencies use in place of divisions."""

    class Kind(models.TextChoices):
        REGULAR = "regular", "ส่วนราชการ"
        ALL = "all", "ทุกส่วนราชการ"
        CONCERNED = "concerned", "ส่วนราชการที่เกี่ยวข้อง"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="divisions", verbose_name="หน่วยงาน"
    )
    name = models.CharField("ชื่อส่วนราชการ", max_length=255)
    kind = models.CharField("ประเภท", max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)

    class Meta:
        db_table = "measures_division"
        verbose_name = "ส่วนราชการ"
        verbose_name_plural = "ส่วนราชการ"
        ordering = ["organization", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="division_unique_name",
                violation_error_message="หน่วยงานนี้มีส่วนราชการชื่อนี้อยู่แล้ว",
            ),
            models.UniqueConstraint(
                fields=["organization", "kind"],
                condition=~Q(kind="regular"),
                name="division_one_collective_of_each_kind",
                violation_error_message=(
                    "หน่วยงานหนึ่งมีรายการ “ทุกส่วนราชการ” หรือ “ส่วนราชการที่เกี่ยวข้อง” ได้อย่างละหนึ่งรายการ"
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_collective(self) -> bool:
        """True for the wordings that stand for several divisions at once."""
        return self.kind != self.Kind.REGULAR


class Membership(models.Model):
    """A user's role in one organization."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", "ผู้ประสานงาน ITA"
        STAFF = "staff", "เจ้าหน้าที่ส่วนราชการ"
        EXECUTIVE = "executive", "ผู้บริหาร"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="ผู้ใช้",
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name="หน่วยงาน"
    )
    role = models.CharField("บทบาท", max_length=16, choices=Role.choices)
    divisions = models.ManyToManyField(
        Division,
        blank=True,
        related_name="members",
        verbose_name="สังกัดส่วนราชการ",
        help_text="สำหรับเจ้าหน้าที่: รายงานผลได้เฉพาะมาตรการของส่วนราชการเหล่านี้",
    )

    class Meta:
        db_table = "measures_membership"
        verbose_name = "สมาชิกและบทบาท"
        verbose_name_plural = "สมาชิกและบทบาท"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"],
                name="membership_once_per_organization",
                violation_error_message="ผู้ใช้นี้มีบทบาทในหน่วยงานนี้อยู่แล้ว",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organization})"


class OverseerScope(models.Model):
    """What an overseer (ผู้กำกับติดตาม) may read across agencies: the provincial
    anti-corruption office, the provincial office of local administration, a
    ministry over its departments, the national office. Overseers read reports and
    dashboards of the agencies in scope and change nothing (organizations.access).

    One scope is the whole installation, or the agencies matching a province and/or
    a kind, plus any agencies listed; a user's scopes add up."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="overseer_scopes",
        verbose_name="ผู้ใช้",
    )
    office = models.CharField(
        "หน่วยงานผู้กำกับติดตาม",
        max_length=255,
        blank=True,
        help_text="เช่น สำนักงาน ป.ป.ช. ประจำจังหวัดอุบลราชธานี",
    )
    whole_installation = models.BooleanField(
        "ทุกหน่วยงานในระบบ", default=False, help_text="เช่น สำนักงานระดับประเทศ"
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="จังหวัด",
        help_text="หน่วยงานในจังหวัดนี้ (ร่วมกับประเภทหน่วยงาน ถ้าระบุ)",
    )
    organization_kind = models.CharField(
        "ประเภทหน่วยงาน",
        max_length=32,
        choices=OrganizationKind.choices,
        blank=True,
        help_text="หน่วยงานประเภทนี้ (ร่วมกับจังหวัด ถ้าระบุ)",
    )
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="+",
        verbose_name="หน่วยงานที่ระบุ",
        help_text="หน่วยงานเพิ่มเติมที่กำกับติดตาม เช่น กรมในสังกัดกระทรวง",
    )

    class Meta:
        db_table = "measures_overseerscope"
        verbose_name = "ขอบเขตผู้กำกับติดตาม"
        verbose_name_plural = "ขอบเขตผู้กำกับติดตาม"
        ordering = ["user", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(whole_installation=False)
                | (Q(province__isnull=True) & Q(organization_kind="")),
                name="overseer_scope_whole_or_narrowed",
                violation_error_message="ขอบเขตทุกหน่วยงานในระบบไม่ต้องระบุจังหวัดหรือประเภทหน่วยงาน",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.describe()}"

    def describe(self) -> str:
        """The scope in words, e.g. "เทศบาลตำบล จังหวัดอุบลราชธานี"."""
        if self.whole_installation:
            return "ทุกหน่วยงานในระบบ"
        parts = []
        if self.organization_kind:
            parts.append(self.get_organization_kind_display())
        if self.province_id:
            parts.append(f"จังหวัด{self.province.name}")
        if not parts:
            return "หน่วยงานที่ระบุ"
        return " ".join(([] if self.organization_kind else ["ทุกหน่วยงาน"]) + parts)
