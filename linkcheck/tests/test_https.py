"""https links: the certificate is verified for the link's host name (SNI), through the
same guarded connection; a certificate that does not verify is a broken link."""

import ssl
import subprocess
import threading

import pytest

from linkcheck import checker
from linkcheck.tests.server import LocalServer


@pytest.fixture
def tls_site(tmp_path):
    """The tests' server over TLS, with a certificate for "localhost" made now."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
        + ["-nodes", "-days", "1"]
        + ["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    server = LocalServer()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    yield server, cert
    server.shutdown()
    server.server_close()


def test_certificate_trusted_for_the_host_opens(tls_site, loopback, monkeypatch):
    server, cert = tls_site
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trusted, as a public CA's would be
    result = checker.check(f"https://localhost:{server.server_port}/ok")
    assert result.ok and result.status_code == 200
    assert server.requests == [("HEAD", "/ok")]


def test_certificate_not_for_the_host_is_broken(tls_site, loopback, monkeypatch):
    server, cert = tls_site
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    # Trusted, but issued for "localhost", not for the address the link names.
    result = checker.check(f"https://127.0.0.1:{server.server_port}/ok")
    assert not result.ok
    assert result.error == "ใบรับรองความปลอดภัย (HTTPS) ของเว็บไซต์ไม่ถูกต้อง"
    assert server.requests == []


def test_untrusted_certificate_is_broken(tls_site, loopback):
    server, _cert = tls_site
    result = checker.check(f"https://localhost:{server.server_port}/ok")
    assert result.error == "ใบรับรองความปลอดภัย (HTTPS) ของเว็บไซต์ไม่ถูกต้อง"
    assert server.requests == []
