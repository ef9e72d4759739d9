"""Is a JPEG whole? WeasyPrint lets Pillow load truncated images (it sets
ImageFile.LOAD_TRUNCATED_IMAGES for the whole process), so a JPEG cut short in its
upload decodes with its missing part grey and would be stored as a picture. Pillow's
verify() checks nothing for JPEG; the markers do: a whole JPEG runs from its start
(SOI) through its segments and scans to its end marker (EOI). Bytes after EOI (what
some cameras append) do not matter: the picture is written again from its pixels.
"""

SOI, EOI, SOS = 0xD8, 0xD9, 0xDA
# Markers that stand alone, without a length: TEM and the restart markers.
STANDALONE = {0x01, *range(0xD0, 0xD8)}


def _after_scan(data: bytes, at: int) -> int:
    """Where the marker after a scan's entropy-coded data starts, or -1. Inside the
    data a 0xFF byte is followed by 0x00 (stuffing) or a restart marker."""
    while True:
        at = data.find(b"\xff", at)
        if at < 0 or at + 1 >= len(data):
            return -1
        following = data[at + 1]
        if following == 0x00 or following in STANDALONE or following == 0xFF:
            at += 1
            continue
        return at


def is_complete_jpeg(data: bytes) -> bool:
    if data[:2] != b"\xff\xd8":
        return False
    at = 2
    while at + 1 < len(data):
        if data[at] != 0xFF:
            # Extraneous bytes before a marker: decoders skip them (libjpeg warns).
            at = data.find(b"\xff", at)
            if at < 0:
                return False
            continue
        marker = data[at + 1]
        if marker == 0xFF:  # fill bytes before a marker
            at += 1
            continue
        if marker == EOI:
            return True
        if marker in STANDALONE:
            at += 2
            continue
        if at + 3 >= len(data):
            return False
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        at += 2 + length
        if marker == SOS:
            at = _after_scan(data, at)
            if at < 0:
                return False
    return False
