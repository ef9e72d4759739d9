"""The page for an unexpected error (handler500).

Rendered with no request context: no context processor runs, so nothing touches the
database, the session or the cache, any of which may be what failed.
"""

import logging

from django.http import HttpResponseServerError
from django.template import loader

logger = logging.getLogger(__name__)

# When even templates/500.html cannot be rendered (e.g. no staticfiles manifest).
FALLBACK = (
    '<!doctype html><html lang="th"><head><meta charset="utf-8">'
    "<title>ระบบขัดข้องชั่วคราว — ITA Portal</title></head><body>"
    "<h1>ขออภัย ระบบขัดข้องชั่วคราว</h1>"
    "<p>ระบบบันทึกปัญหานี้ไว้ให้ผู้ดูแลระบบแล้ว กรุณาลองใหม่อีกครั้งในอีกสักครู่</p>"
    '<p><a href="/">กลับหน้าหลัก</a></p></body></html>'
)


def server_error(request, template_name="500.html"):
    try:
        content = loader.get_template(template_name).render()
    except Exception:
        logger.exception("templates/500.html could not be rendered; the fallback was sent")
        content = FALLBACK
    return HttpResponseServerError(content)
