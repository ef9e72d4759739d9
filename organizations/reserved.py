"""Words an agency's slug may not be: the fixed words of the portal's addresses that
stand where another address takes an agency's slug. /results/import/ comes before
/results/<slug>/, so the results page of an agency slugged "import" could never be
opened. organizations/tests/test_reserved_slugs.py walks every URL pattern and fails
when an address adds such a word that is not listed here."""

# word -> an address of the portal it stands in (named in the refusal)
RESERVED_SLUGS = {
    "import": "/results/import/",
}


def refusal(slug: str) -> str:
    """Why `slug` cannot be an agency's (Thai), or '' when it can. Any case is
    refused: a typed address may differ in case."""
    address = RESERVED_SLUGS.get((slug or "").lower())
    if not address:
        return ""
    return (
        f"ใช้ “{slug}” เป็นชื่อย่อในลิงก์ไม่ได้ เพราะคำนี้เป็นลิงก์ของระบบ ({address}) "
        "หน้าของหน่วยงานจะเปิดไม่ได้ กรุณาเลือกชื่อย่ออื่น"
    )
