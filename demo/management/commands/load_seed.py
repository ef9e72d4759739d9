import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from catalogue import services as catalogue
from demo.agencies_today import demo_agencies_today
from demo.current_year import bring_to_today
from demo.generate_agencies import demo_agencies
from demo.generated import publish_generated
from demo.ita_results import enter_demo_results
from demo.seed import SEED_FILE, load_report_data, read_seed
from organizations.models import Division, Membership, OverseerScope
from organizations.services import add_member, province
from thai.conventions import fiscal_year_of

# username, Thai name, role, division names (staff only)
DEMO_USERS = [
    ("coordinator", "ผู้ประสานงาน ITA", Membership.Role.COORDINATOR, []),
    ("staff", "เจ้าหน้าที่สำนักปลัด", Membership.Role.STAFF, ["สำนักปลัดองค์การบริหารส่วนจังหวัด"]),
    ("staff-procurement", "เจ้าหน้าที่กองพัสดุ", Membership.Role.STAFF, ["กองพัสดุและทรัพย์สิน"]),
    ("executive", "ผู้บริหาร", Membership.Role.EXECUTIVE, []),
]
# Overseers across agencies: username, Thai name, scope (measures.models.OverseerScope).
DEMO_OVERSEERS = [
    (
        "overseer",
        "ผู้กำกับติดตามระดับประเทศ",
        {"whole_installation": True, "office": "สำนักงาน ป.ป.ช."},
    ),
    (
        "overseer-ubon",
        "ผู้กำกับติดตาม จ.อุบลราชธานี",
        {"province": "อุบลราชธานี", "office": "สำนักงาน ป.ป.ช. ประจำจังหวัดอุบลราชธานี"},
    ),
]


class Command(BaseCommand):
    help = (
        "โหลดเกณฑ์การประเมินทุกปีที่มากับระบบ รายงานตัวอย่าง (อบจ.อุบลราชธานี ปีงบประมาณ 2566) "
        "และผู้ใช้สาธิตทุกบทบาท"
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="แทนที่มาตรการที่มีอยู่ด้วยข้อมูลตัวอย่าง")
        parser.add_argument("--reset-passwords", action="store_true", help="ตั้งรหัสผ่านใหม่ให้ผู้ใช้สาธิต")
        parser.add_argument("--no-demo-users", action="store_true", help="ไม่สร้างผู้ใช้สาธิต")

    def handle(self, *args, **options):
        # The assessment's catalogue of every year the portal ships (fixtures/catalogue/),
        # so that a new agency can start in the current year and the seed rolls over.
        for loaded in catalogue.load_shipped():
            self.stdout.write(f"เกณฑ์การประเมิน {loaded.summary}")
        result = load_report_data(read_seed(SEED_FILE), reset=options["reset"])
        self.stdout.write(
            f"{result.organization.name} {result.fiscal_year}: "
            f"สร้างมาตรการ {result.created} รายการ, คงไว้ตามเดิม {result.kept} รายการ"
        )
        if not options["no_demo_users"]:
            self._demo_agencies(result.fiscal_year.year)
            self._demo_users(result.organization, options["reset_passwords"])
            self._current_year(result.organization, result.fiscal_year.year)
            self._results(result.organization, result.fiscal_year.year)

    def _demo_agencies(self, fiscal_year: int) -> None:
        """A handful of demo agencies beside the seed's (marked ข้อมูลสาธิต), so that
        the overseers' roll-up shows a living province."""
        made = demo_agencies(fiscal_year)
        if made.organizations:
            publish_generated(made.published)
            self.stdout.write(
                f"หน่วยงานสาธิตสำหรับหน้าภาพรวมหลายหน่วยงาน {len(made.organizations)} หน่วยงาน"
            )
        today = timezone.localdate()
        made = demo_agencies_today(today)
        if made.organizations:
            publish_generated(made.published)
            self.stdout.write(
                f"หน่วยงานสาธิต {len(made.organizations)} หน่วยงาน ทำงานในปีงบประมาณ "
                f"พ.ศ. {fiscal_year_of(today) - 1} และ {fiscal_year_of(today)} ด้วย "
                f"(เผยแพร่รายงาน {len(made.published)} ฉบับ)"
            )

    def _current_year(self, organization, seed_year: int) -> None:
        """The seed's year published and closed, the agency at work in today's year."""
        coordinator = get_user_model().objects.get(username="coordinator")
        made = bring_to_today(organization, seed_year, timezone.localdate(), coordinator)
        if made is not None:
            self.stdout.write(
                f"ปีงบประมาณปัจจุบัน พ.ศ. {made.fiscal_year}: ยกมาตรการ {made.measures} รายการ "
                f"รายงานผลแล้ว {made.reported} รายการ (ปีงบประมาณ พ.ศ. {seed_year} "
                "เผยแพร่รายงานรอบ 6 เดือนและปิดรอบแล้ว)"
            )

    def _results(self, organization, seed_year: int) -> None:
        """Last year's ITA result and the one before, for today's year's analysis."""
        coordinator = get_user_model().objects.get(username="coordinator")
        working = fiscal_year_of(timezone.localdate())
        entered = enter_demo_results(organization, working, seed_year, coordinator)
        if entered:
            years = " และ ".join(str(year) for year in entered)
            self.stdout.write(
                f"ผลการประเมิน ITA ปีงบประมาณ พ.ศ. {years} "
                f"(การวิเคราะห์ผลการประเมิน ปีงบประมาณ พ.ศ. {working} แสดงจุดอ่อน)"
            )

    def _demo_users(self, organization, reset_passwords: bool):
        User = get_user_model()
        new_passwords = []
        superuser, created = User.objects.get_or_create(
            username="admin", defaults={"first_name": "ผู้ดูแลระบบ"}
        )
        if created or reset_passwords:
            superuser.is_staff = superuser.is_superuser = True
            new_passwords.append(("admin", "ผู้ดูแลระบบ", self._set_password(superuser)))
        for username, first_name, scope in DEMO_OVERSEERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first_name}
            )
            if created or reset_passwords:
                new_passwords.append((username, first_name, self._set_password(user)))
            if not OverseerScope.objects.filter(user=user).exists():
                scope = dict(scope)
                if "province" in scope:
                    scope["province"] = province(scope["province"])
                OverseerScope.objects.create(user=user, **scope)
        for username, first_name, role, division_names in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first_name}
            )
            if created or reset_passwords:
                new_passwords.append((username, first_name, self._set_password(user)))
            divisions = Division.objects.filter(organization=organization, name__in=division_names)
            add_member(member=user, organization=organization, role=role, divisions=list(divisions))
        if new_passwords:
            self.stdout.write("ผู้ใช้สาธิต (รหัสผ่านแสดงครั้งเดียว เก็บไว้ให้ดี):")
            for username, name, password in new_passwords:
                self.stdout.write(f"  {username:<18} {password:<16} {name}")
        else:
            self.stdout.write(
                "ผู้ใช้สาธิตมีอยู่แล้ว (ตั้งรหัสผ่านใหม่: python manage.py load_seed --reset-passwords)"
            )

    @staticmethod
    def _set_password(user) -> str:
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        user.save()
        return password
