"""What a request brings, read so that no value of it can fail a page.

- `query_int` reads a number from the address (a job's id, a province's): ASCII
  digits only and at most 18 of them, else None. `str.isdigit()` says yes to "²"
  and "๑", which `int()` or the database then refuse; and a number past 2**63
  fails on SQLite (OverflowError) where PostgreSQL finds nothing.
- `BadInputMiddleware` answers 400 with the Thai refusal page when the path, the
  query, a form value or a cookie holds a NUL character. PostgreSQL cannot store
  or even compare one (a 500), SQLite stores it; Django's form fields refuse it,
  but the admin's list filters, its autocomplete and values read straight from
  request.GET are no form. No person types one: it is refused once, for the whole
  request, before any view reads it. It also answers 400 when a number of the
  request overflowed (OverflowError) on its way to the database: the admin takes
  any lookup of a model's fields from its address
  (`?fiscal_year=99999999999999999999`), which Django passes to SQLite for a
  foreign key without the range check it makes for integer fields (PostgreSQL
  simply finds nothing), and its date hierarchy makes a date of any year
  (`?attempt_time__year=99999999999999999999`).
"""

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import render

# 10**18 - 1 < 2**63 - 1, the largest id SQLite and PostgreSQL's bigint hold.
MAX_DIGITS = 18
NUL = "\x00"
# A field's name, as the refusal page names it, cut to this length.
FIELD_NAME_CHARS = 50


def query_int(value: str | None) -> int | None:
    """The whole number `value` spells in ASCII digits ("12"), or None: empty,
    signed, spaced, other digits ("²", "๑๒") or more than MAX_DIGITS digits."""
    if not value or len(value) > MAX_DIGITS or not value.isascii() or not value.isdigit():
        return None
    return int(value)


def _with_nul(values) -> str | None:
    """The name of the first (name, values) pair that holds a NUL, else None."""
    for name, listed in values:
        if NUL in name or any(isinstance(v, str) and NUL in v for v in listed):
            return name.replace(NUL, "")[:FIELD_NAME_CHARS]
    return None


NUL_MESSAGE = (
    "ข้อมูลที่ส่งมามีอักขระ NUL (รหัส 0) ซึ่งไม่ใช่ตัวอักษรที่พิมพ์ได้{where} "
    "ระบบจึงไม่ได้รับและไม่ได้บันทึกข้อมูลใดจากการส่งครั้งนี้"
)
NUL_ADVICE = (
    "ข้อความนี้อาจมาจากการคัดลอกจากโปรแกรมอื่นหรือลิงก์ที่ไม่ถูกต้อง "
    "กรุณาพิมพ์ข้อความนั้นใหม่ หรือเปิดหน้านี้จากเมนูของระบบอีกครั้ง"
)
TOO_LARGE_MESSAGE = (
    "ที่อยู่หรือข้อมูลที่ส่งมามีตัวเลขใหญ่เกินกว่าที่ระบบรับได้ ระบบจึงไม่ได้ค้นหาและไม่ได้บันทึกข้อมูลใดจากการส่งครั้งนี้"
)
TOO_LARGE_ADVICE = "กรุณาเปิดหน้านี้จากเมนูหรือตัวกรองของระบบอีกครั้ง แทนการแก้ตัวเลขในที่อยู่เอง"


def refused(request, message: str, advice: str, user=None):
    return render(
        request,
        "request_refused.html",
        {
            "message": message,
            "advice": advice,
            # The page without what was sent, unless its path is what was wrong.
            "again": "" if NUL in request.path else request.path,
            **({"user": user} if user is not None else {}),
        },
        status=400,
    )


class BadInputMiddleware:
    """After progress.uploads.UploadLimitMiddleware in MIDDLEWARE (it refuses an
    oversized body before anything reads it), before CsrfViewMiddleware.

    Cookies are checked as the request comes in, before the session is looked up by
    its cookie (the page is then shown to nobody signed in); the path, the query and
    the form in process_view, where the person is known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(NUL in name or NUL in value for name, value in request.COOKIES.items()):
            return refused(request, NUL_MESSAGE.format(where=""), NUL_ADVICE, AnonymousUser())
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if NUL in request.path:
            return refused(request, NUL_MESSAGE.format(where=""), NUL_ADVICE)
        field = _with_nul(request.GET.lists())
        if field is None and request.method == "POST":
            field = _with_nul(request.POST.lists())
        if field is None:
            return None
        return refused(request, NUL_MESSAGE.format(where=f" (ช่อง {field})"), NUL_ADVICE)

    def process_exception(self, request, exception):
        # A number of the request past what SQLite's integers (or a date's year) hold.
        if isinstance(exception, OverflowError):
            return refused(request, TOO_LARGE_MESSAGE, TOO_LARGE_ADVICE)
        return None
