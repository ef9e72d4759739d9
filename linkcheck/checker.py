"""Opening a link the way an assessor's browser would, without letting the portal be
used against its own networks.

HEAD first, then GET when the server does not answer HEAD properly; short timeouts
and one deadline for the whole link; at most MAX_BYTES of a body read.
Only http and https. Every address a host name resolves to is checked at connect time
(`policy.refusal`), and the connection is made to the very address that was checked,
so a name that resolves to a public address first and a private one next (DNS
rebinding) gains nothing. The name lookup has its own bound inside the link's time
(getaddrinfo cannot be interrupted, so it runs in a small pool and is waited for no
longer than a connect would be); redirects are followed by hand, each hop through the same
check, at most MAX_REDIRECTS of them. No network code here touches the
database: the checks run in threads, their results are recorded by the caller.
"""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings

from linkcheck import policy

MAX_BYTES = 4096  # of a body, at most
MAX_REDIRECTS = 5
RETRY_PAUSE = 0.5  # seconds before a failure that may pass is tried again
USER_AGENT = "ITA-Portal-LinkCheck/1.0 (+evidence link check)"
REDIRECTS = {301, 302, 303, 307, 308}
# HEAD answered with these (or any error but "not found"/"gone") is asked again with
# GET: many servers refuse or mishandle HEAD while the page itself opens.
GONE = {404, 410}
# Characters left as they are when a path is encoded (an existing %xx escape included).
_SAFE = "/%:@!$&'()*+,;=-._~"
NAME_TIMEOUT = "ค้นหาชื่อโดเมนของเว็บไซต์ไม่ทันเวลา (DNS)"
# The lookup function: the system's resolver. Tests may point it at a DNS server of
# their own on loopback (the system's one is used by every other test).
getaddrinfo = socket.getaddrinfo
# Lookups that hang keep their thread until the system resolver gives up; the pool is
# as large as the most checks that run at once (ITA_LINK_CHECK_CONCURRENCY <= 32), twice.
_lookups = ThreadPoolExecutor(max_workers=64, thread_name_prefix="linkcheck-dns")


@dataclass(frozen=True)
class Result:
    ok: bool
    status_code: int | None = None
    error: str = ""  # Thai, for the coordinator
    final_url: str = ""
    transient: bool = False  # may pass if tried again


class Refused(Exception):
    """The check will not request this address (Thai reason)."""


class NameTimeout(Exception):
    """The host name's lookup did not finish within its share of the link's time."""


class _Deadline:
    """Closes the connection's socket when the link's time is up, whatever it waits on
    (a server trickling its headers one byte at a time included)."""

    def __init__(self, seconds: float):
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._timer: threading.Timer | None = None

    def remaining(self) -> float:
        left = self.ends - time.monotonic()
        if left <= 0:
            self.expired = True
            raise TimeoutError
        return left

    def watch(self, connection: http.client.HTTPConnection) -> None:
        def expire():
            self.expired = True
            if connection.sock is not None:
                with contextlib.suppress(OSError):
                    connection.sock.shutdown(socket.SHUT_RDWR)

        self._timer = threading.Timer(self.remaining(), expire)
        self._timer.daemon = True
        self._timer.start()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _lookup(host: str, port: int, timeout: float) -> list:
    """getaddrinfo of `host`, waited for at most `timeout` seconds."""
    future = _lookups.submit(getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        return future.result(timeout=timeout)
    except FutureTimeout:
        future.cancel()  # still queued behind hung lookups: never started
        raise NameTimeout from None


def _guarded_socket(host: str, port: int, timeout: float) -> socket.socket:
    """A socket connected to an address of `host` the policy allows, after checking
    every address the name resolves to (one refused address refuses the host)."""
    if _is_literal(host) and policy.refusal(host):
        raise Refused(policy.refusal(host))
    try:
        infos = _lookup(host, port, timeout)
    except (socket.gaierror, UnicodeError) as error:
        raise Refused("ไม่พบชื่อเว็บไซต์นี้ (DNS)") from error
    for info in infos:
        reason = policy.refusal(info[4][0])
        if reason:
            raise Refused(reason)
    last_error: OSError | None = None
    for family, kind, proto, _name, address in infos:
        sock = socket.socket(family, kind, proto)
        sock.settimeout(timeout)
        try:
            sock.connect(address)
            return sock
        except OSError as error:
            sock.close()
            last_error = error
    raise last_error or OSError("no address")


class _HTTPConnection(http.client.HTTPConnection):
    def connect(self):
        self.sock = _guarded_socket(self.host, self.port, self.timeout)


class _HTTPSConnection(http.client.HTTPSConnection):
    def connect(self):
        sock = _guarded_socket(self.host, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _request(method: str, url: str, deadline: _Deadline) -> tuple[int, str]:
    """(status, Location) of one request; reads at most the allowed bytes of a body."""
    parts = urlsplit(url)
    timeout = min(settings.ITA_LINK_CHECK_TIMEOUT, deadline.remaining())
    # The port always given: http.client would read an IPv6 address's last group as one.
    if parts.scheme == "https":
        connection = _HTTPSConnection(
            parts.hostname,
            parts.port or 443,
            timeout=timeout,
            context=ssl.create_default_context(),
        )
    else:
        connection = _HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    # Thai file names and words in the path are sent percent-encoded, as browsers do.
    path = quote(parts.path or "/", safe=_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=_SAFE + "?")
    deadline.watch(connection)
    try:
        connection.request(
            method,
            path,
            headers={"User-Agent": USER_AGENT, "Accept": "*/*", "Connection": "close"},
        )
        response = connection.getresponse()
        if method == "GET":
            response.read(MAX_BYTES)
        if deadline.expired:  # the answer was cut short: what was read is no answer
            raise TimeoutError
        return response.status, response.getheader("Location") or ""
    finally:
        deadline.stop()
        connection.close()


def _scheme_refusal(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "ตรวจได้เฉพาะลิงก์ที่ขึ้นต้นด้วย http:// หรือ https://"
    if not parts.hostname:
        return "ลิงก์ไม่มีชื่อเว็บไซต์"
    if parts.username or parts.password:
        return "ลิงก์มีชื่อผู้ใช้หรือรหัสผ่านอยู่ในลิงก์ ระบบไม่ตรวจ"
    try:
        parts.port  # noqa: B018  (raises on a port that is no number)
    except ValueError:
        return "หมายเลขพอร์ตในลิงก์ไม่ถูกต้อง"
    return ""


def _follow(method: str, url: str, deadline: _Deadline) -> tuple[int, str]:
    """The final status of `url` by `method`, redirects followed (each hop checked)."""
    for _hop in range(MAX_REDIRECTS + 1):
        refusal = _scheme_refusal(url)
        if refusal:
            raise Refused(refusal)
        status, location = _request(method, url, deadline)
        if status not in REDIRECTS or not location:
            return status, url
        url = urljoin(url, location)
        if status == 303:
            method = "GET"
    raise Refused(f"ลิงก์ส่งต่อไปยังหน้าอื่นเกิน {MAX_REDIRECTS} ครั้ง")


def check(url: str) -> Result:
    """Whether `url` opens: a 2xx answer to HEAD, or to GET when HEAD failed. A
    failure that may pass (a server error, "too many requests", a dropped
    connection) is tried once more after a pause, if the link's time allows."""
    deadline = _Deadline(settings.ITA_LINK_CHECK_DEADLINE)
    result = _check_once(url, deadline)
    if result.transient and deadline.ends - time.monotonic() > RETRY_PAUSE + 1:
        time.sleep(RETRY_PAUSE)
        result = _check_once(url, deadline)
    return result


def _check_once(url: str, deadline: _Deadline) -> Result:
    try:
        status, final = _follow("HEAD", url, deadline)
        if status >= 400 and status not in GONE:
            status, final = _follow("GET", url, deadline)
    except Refused as refused:
        return Result(False, error=str(refused))
    except NameTimeout:
        return Result(False, error=NAME_TIMEOUT, transient=True)
    except TimeoutError:
        return Result(False, error="เว็บไซต์ไม่ตอบภายในเวลาที่กำหนด")
    except ssl.SSLError:
        return Result(False, error="ใบรับรองความปลอดภัย (HTTPS) ของเว็บไซต์ไม่ถูกต้อง")
    except (OSError, http.client.HTTPException, ValueError) as error:
        if deadline.expired:
            return Result(False, error="เว็บไซต์ไม่ตอบภายในเวลาที่กำหนด")
        if isinstance(error, ConnectionRefusedError):
            return Result(False, error="เว็บไซต์ปฏิเสธการเชื่อมต่อ", transient=True)
        return Result(False, error="เชื่อมต่อเว็บไซต์ไม่ได้", transient=True)
    if 200 <= status < 300:
        return Result(True, status, final_url=final)
    transient = status >= 500 or status == 429
    return Result(False, status, _status_text(status), final, transient=transient)


def _status_text(status: int) -> str:
    if status in GONE:
        return f"ไม่พบหน้านี้บนเว็บไซต์ (HTTP {status})"
    if status in (401, 403):
        return (
            f"เว็บไซต์ไม่ให้เปิดหน้านี้โดยไม่เข้าสู่ระบบ หรือไม่ให้ระบบตรวจเปิด (HTTP {status}) "
            "ลองเปิดด้วยเบราว์เซอร์ หากเปิดได้โดยไม่ต้องเข้าสู่ระบบ ลิงก์นี้ใช้ได้"
        )
    if status >= 500:
        return f"เว็บไซต์ขัดข้อง (HTTP {status})"
    if status in REDIRECTS:
        return f"เว็บไซต์ส่งต่อโดยไม่บอกปลายทาง (HTTP {status})"
    return f"เปิดลิงก์ไม่ได้ (HTTP {status})"
