"""Which addresses the link check may connect to: public ones only.

Refused: loopback, private (RFC 1918, IPv6 unique local), link-local (the cloud
metadata address 169.254.169.254 among them), shared address space (CGNAT,
100.64.0.0/10), multicast, reserved, unspecified, documentation and benchmarking
ranges, and IPv4 written inside IPv6 (mapped, 6to4, NAT64) when the IPv4 address is
one of those. Tests serve pages on 127.0.0.1; ITA_LINK_CHECK_ALLOW_LOOPBACK (tests
only, off by default) lets the check reach loopback and nothing else more.
"""

import ipaddress

from django.conf import settings

METADATA = ipaddress.ip_address("169.254.169.254")
CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
INTERNAL = "ลิงก์นี้ชี้ไปยังที่อยู่ภายในเครือข่าย ({address}) ซึ่งระบบไม่เปิดตรวจ ผู้ประเมินภายนอกเปิดไม่ได้"


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if address.version == 6:
        inner = _embedded_ipv4(address)
        if inner is not None:
            return is_public(inner)
        if address.teredo is not None:
            return False
    if address == METADATA or (address.version == 4 and address in CGNAT):
        return False
    if (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or getattr(address, "is_site_local", False)
    ):
        return False
    return address.is_global


def refusal(address_text: str) -> str:
    """Why the check will not connect to this address (Thai), or '' when it may."""
    try:
        address = ipaddress.ip_address(address_text.split("%", 1)[0])
    except ValueError:
        return INTERNAL.format(address=address_text)
    if is_public(address):
        return ""
    if settings.ITA_LINK_CHECK_ALLOW_LOOPBACK and address.is_loopback:
        return ""
    return INTERNAL.format(address=address_text)
