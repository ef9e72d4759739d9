"""Request bodies and uploads are refused early, with a Thai answer.

Three layers, largest first:

- `UploadLimitMiddleware` answers 413 before the body is read when the
  request's Content-Length passes settings.MAX_REQUEST_BYTES, and turns
  Django's own refusals while parsing a form (too many files, fields too large,
  a broken multipart body) into a Thai page instead of a bare 400.
- `LimitedTemporaryFileUploadHandler` streams each file to a temporary file as
  Django's handler does, but stops storing it once it passes
  settings.MAX_UPLOAD_BYTES; the rest is counted and dropped, so disk and
  memory stay bounded while the other fields still arrive, and the form
  receives a `RefusedUpload` with the name and real size to name in its message.
- The forms (measures/limits.py, measures/evidence.py) check each file's size,
  count and type and say which file is wrong, keeping what was typed.
"""

import io

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

from progress.limits import megabytes

FORM_CONTENT_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class RefusedUpload(UploadedFile):
    """An upload larger than settings.MAX_UPLOAD_BYTES: its name and real size,
    none of its content. Every upload form checks `size` against the limit."""

    too_large = True

    def __init__(self, name, content_type, size, charset, content_type_extra=None):
        super().__init__(io.BytesIO(), name, content_type, size, charset, content_type_extra)


class LimitedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        if self.too_large:
            return None
        if start + len(raw_data) > settings.MAX_UPLOAD_BYTES:
            self.too_large = True
            self.file.close()  # a NamedTemporaryFile: closing deletes it
            return None
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size):
        if self.too_large:
            return RefusedUpload(
                self.file_name, self.content_type, file_size, self.charset, self.content_type_extra
            )
        return super().file_complete(file_size)


def _limits_sentence() -> str:
    return (
        f"แนบไฟล์ได้ไฟล์ละไม่เกิน {megabytes(settings.MAX_UPLOAD_BYTES)} MB "
        f"ครั้งละไม่เกิน {settings.MAX_FILES_PER_REQUEST:,} ไฟล์ "
        f"รวมไม่เกิน {megabytes(settings.MAX_UPLOAD_TOTAL_BYTES)} MB "
        "ถ้ามีไฟล์มากกว่านี้ กรุณาแบ่งแนบหลายครั้ง"
    )


def refused(request, message: str, status: int):
    return render(
        request,
        "request_refused.html",
        {"message": message, "limits": _limits_sentence()},
        status=status,
    )


class UploadLimitMiddleware:
    """Before CsrfViewMiddleware in MIDDLEWARE: its process_view runs first, when
    the user is known and the body is not read yet."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            return refused(
                request,
                f"ข้อมูลที่ส่งมามีขนาด {megabytes(length)} MB "
                f"เกินที่ระบบรับได้ต่อครั้ง ({megabytes(settings.MAX_REQUEST_BYTES)} MB) "
                "ระบบจึงไม่ได้รับและไม่ได้บันทึกข้อมูลใดจากการส่งครั้งนี้",
                413,
            )
        if request.method != "POST" or request.content_type not in FORM_CONTENT_TYPES:
            return None
        try:
            request.POST  # noqa: B018 (parse now, so Django's own refusals are answered here)
        except TooManyFilesSent:
            return refused(
                request,
                f"แนบไฟล์มาในครั้งเดียวมากเกินไป (รับได้ครั้งละไม่เกิน "
                f"{settings.MAX_FILES_PER_REQUEST:,} ไฟล์) ระบบจึงไม่ได้บันทึกข้อมูลใดจากการส่งครั้งนี้",
                413,
            )
        except RequestDataTooBig:
            return refused(
                request,
                "ข้อความที่ส่งมายาวเกินที่ระบบรับได้ต่อครั้ง "
                "ระบบจึงไม่ได้บันทึกข้อมูลใดจากการส่งครั้งนี้ กรุณาสรุปข้อความให้สั้นลง",
                413,
            )
        except TooManyFieldsSent:
            return refused(
                request,
                "แบบฟอร์มที่ส่งมามีช่องข้อมูลมากเกินไป ระบบจึงไม่ได้บันทึกข้อมูลใดจากการส่งครั้งนี้",
                400,
            )
        except MultiPartParserError:
            return refused(
                request,
                "ข้อมูลที่ส่งมาไม่ครบหรือเสียหาย (การส่งอาจถูกขัดจังหวะ) "
                "ระบบจึงไม่ได้บันทึกข้อมูลใดจากการส่งครั้งนี้ กรุณาส่งอีกครั้ง",
                400,
            )
        return None
