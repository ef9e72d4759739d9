"""The checker against a real server on 127.0.0.1, and its address guard with the
policy as production has it (no database needed)."""

import time

import pytest

from linkcheck import checker, policy


def test_page_that_opens(site, loopback):
    result = checker.check(site.url("/ok"))
    assert result.ok and result.status_code == 200
    assert site.requests == [("HEAD", "/ok")]  # HEAD sufficed: no body asked for


def test_missing_page_is_broken_with_a_thai_reason(site, loopback):
    result = checker.check(site.url("/missing"))
    assert not result.ok and result.status_code == 404
    assert result.error == "ไม่พบหน้านี้บนเว็บไซต์ (HTTP 404)"
    assert site.requests == [("HEAD", "/missing")]  # 404 is final: no GET


def test_other_refusals_are_asked_again_by_get_and_explained(site, loopback):
    forbidden = checker.check(site.url("/forbidden"))
    assert not forbidden.ok and forbidden.status_code == 403
    assert forbidden.error.startswith("เว็บไซต์ไม่ให้เปิดหน้านี้โดยไม่เข้าสู่ระบบ")
    assert "ลองเปิดด้วยเบราว์เซอร์" in forbidden.error
    down = checker.check(site.url("/error"))
    assert down.error == "เว็บไซต์ขัดข้อง (HTTP 503)"
    # A server error may pass: asked again once, after a pause.
    assert (
        site.requests
        == [("HEAD", "/forbidden"), ("GET", "/forbidden")]
        + [
            ("HEAD", "/error"),
            ("GET", "/error"),
        ]
        * 2
    )


def test_a_server_down_for_a_moment_is_not_broken(site, loopback):
    result = checker.check(site.url("/flaky"))
    assert result.ok
    assert site.requests == [("HEAD", "/flaky"), ("GET", "/flaky"), ("HEAD", "/flaky")]


def test_head_not_allowed_then_get(site, loopback):
    result = checker.check(site.url("/nohead"))
    assert result.ok and result.status_code == 200
    assert site.requests == [("HEAD", "/nohead"), ("GET", "/nohead")]


def test_redirect_chain_followed_to_the_page(site, loopback):
    site.redirects = {"/a": "/b", "/b": site.url("/ok")}
    result = checker.check(site.url("/a"))
    assert result.ok and result.final_url == site.url("/ok")
    assert site.paths() == ["/a", "/b", "/ok"]


def test_redirects_without_end_stop_after_a_few_hops(site, loopback):
    site.redirects = {"/loop": "/loop"}
    result = checker.check(site.url("/loop"))
    assert not result.ok
    assert result.error == f"ลิงก์ส่งต่อไปยังหน้าอื่นเกิน {checker.MAX_REDIRECTS} ครั้ง"
    assert len(site.requests) == checker.MAX_REDIRECTS + 1


def test_slow_server_times_out(site, loopback):
    loopback.ITA_LINK_CHECK_TIMEOUT = 0.5
    started = time.monotonic()
    result = checker.check(site.url("/slow"))
    assert time.monotonic() - started < 1.5
    assert not result.ok and result.error == "เว็บไซต์ไม่ตอบภายในเวลาที่กำหนด"


def test_server_trickling_its_answer_is_cut_at_the_deadline(site, loopback):
    # Each byte comes within the read timeout; the link's deadline ends it.
    loopback.ITA_LINK_CHECK_DEADLINE = 1.0
    started = time.monotonic()
    result = checker.check(site.url("/trickle"))
    assert time.monotonic() - started < 1.8
    assert not result.ok and result.error == "เว็บไซต์ไม่ตอบภายในเวลาที่กำหนด"


def test_big_body_is_not_read_whole(site, loopback):
    started = time.monotonic()
    result = checker.check(site.url("/big"))  # HEAD refused: GET of a 100 MB body
    assert result.ok and time.monotonic() - started < 1
    deadline = time.monotonic() + 2
    while not site.big_closed and time.monotonic() < deadline:
        time.sleep(0.02)
    assert site.big_closed  # the portal hung up after its few KB
    assert site.big_sent < 20 * 1024 * 1024  # of 100 MB: socket buffers, not the body


def test_thai_path_is_sent_percent_encoded(site, loopback):
    result = checker.check(site.url("/เอกสาร หลักฐาน.pdf"))
    assert result.ok
    assert site.paths() == [
        "/%E0%B9%80%E0%B8%AD%E0%B8%81%E0%B8%AA%E0%B8%B2%E0%B8%A3"
        "%20%E0%B8%AB%E0%B8%A5%E0%B8%B1%E0%B8%81%E0%B8%90%E0%B8%B2%E0%B8%99.pdf"
    ]


@pytest.mark.parametrize(
    "url, address",
    [
        ("http://127.0.0.1:{port}/ok", "127.0.0.1"),
        ("http://localhost:{port}/ok", "127.0.0.1"),
        ("http://2130706433:{port}/ok", "127.0.0.1"),  # 127.0.0.1 as one number
        ("http://0x7f.1:{port}/ok", "127.0.0.1"),
        ("http://[::1]:{port}/ok", "::1"),
        ("http://[::ffff:127.0.0.1]:{port}/ok", "::ffff:127.0.0.1"),
        ("http://10.1.2.3/", "10.1.2.3"),
        ("http://192.168.1.10/", "192.168.1.10"),
        ("http://172.16.0.5/", "172.16.0.5"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://100.64.0.1/", "100.64.0.1"),
        ("http://0.0.0.0:{port}/", "0.0.0.0"),
        ("http://224.0.0.1/", "224.0.0.1"),
        ("http://[fd00:ec2::254]/", "fd00:ec2::254"),
        ("http://[fe80::1]/", "fe80::1"),
    ],
)
def test_internal_addresses_are_never_requested(site, settings, url, address):
    assert settings.ITA_LINK_CHECK_ALLOW_LOOPBACK is False  # production's policy
    result = checker.check(url.format(port=site.server_port))
    assert not result.ok
    assert "ที่อยู่ภายในเครือข่าย" in result.error and address in result.error
    assert site.requests == []


def test_redirect_to_an_internal_address_is_not_followed(site, loopback):
    # The tests' own server may be reached; where it sends the check may not.
    site.redirects = {
        "/to-private": "http://10.0.0.1/secret",
        "/to-metadata": "http://169.254.169.254/latest/meta-data/",
        "/to-ftp": "ftp://files.example.go.th/a.pdf",
    }
    private = checker.check(site.url("/to-private"))
    assert not private.ok and "10.0.0.1" in private.error
    metadata = checker.check(site.url("/to-metadata"))
    assert not metadata.ok and "169.254.169.254" in metadata.error
    ftp = checker.check(site.url("/to-ftp"))
    assert ftp.error == "ตรวจได้เฉพาะลิงก์ที่ขึ้นต้นด้วย http:// หรือ https://"
    assert site.paths() == ["/to-private", "/to-metadata", "/to-ftp"]


def test_loopback_allowance_opens_loopback_only(settings):
    settings.ITA_LINK_CHECK_ALLOW_LOOPBACK = True
    assert policy.refusal("127.0.0.1") == ""
    assert policy.refusal("10.0.0.1") and policy.refusal("169.254.169.254")


def test_public_addresses_pass():
    assert policy.refusal("203.150.1.1") == ""  # a Thai public address
    assert policy.refusal("2001:4860:4860::8888") == ""
    for internal in ("::ffff:10.0.0.1", "2002:a00:1::1", "64:ff9b::a9fe:a9fe", "192.0.2.1"):
        assert policy.refusal(internal), internal


def test_other_schemes_and_credentials_refused():
    assert not checker.check("file:///etc/passwd").ok
    assert checker.check("javascript:alert(1)").error.startswith("ตรวจได้เฉพาะลิงก์")
    assert "รหัสผ่าน" in checker.check("http://user:pw@example.go.th/").error
