"""What the portal knows of the assessment: {% catalogue_years %} says which
fiscal years have a catalogue (tools and indicators)."""

from django import template

from catalogue import services as catalogue

register = template.Library()


@register.simple_tag
def catalogue_years() -> str:
    """ "ปีงบประมาณที่มีเกณฑ์การประเมิน: 2566–2570"."""
    return catalogue.known_years_text()
