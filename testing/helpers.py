"""What the progress tests do again and again: the seed agency's measures and the
progress form as a browser sends it."""

from django.urls import reverse

from measures.models import Measure
from testing.forms import form_data

# The division of measure 2 (and of the staff fixture of testing/fixtures.py).
OFFICE = "สำนักปลัดองค์การบริหารส่วนจังหวัด"
# The smallest file the evidence checks take for a PDF.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def measure(org, order=2) -> Measure:
    """The seed agency's measure of this number (2 belongs to OFFICE alone)."""
    return Measure.objects.get(organization=org, order=order)


def progress_url(m, kind=12) -> str:
    return reverse("progress:progress", args=[m.pk, kind])


def open_form(client, m, kind=12) -> dict:
    """The progress form as the browser would send it back unchanged."""
    response = client.get(progress_url(m, kind))
    assert response.status_code == 200
    return form_data(response.content.decode(), form_id="progress-form")


def report(client, m, kind=12, **fields):
    """Opens the progress form, fills in `fields` (action="submit" to send it for
    review) and sends it; returns the answer."""
    data = open_form(client, m, kind)
    data.update(fields)
    return client.post(progress_url(m, kind), data)
