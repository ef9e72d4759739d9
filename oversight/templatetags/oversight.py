from django import template

from organizations import access

register = template.Library()


@register.filter
def is_overseer(user) -> bool:
    """May open the roll-up across agencies (organizations.access.is_overseer)."""
    return access.is_overseer(user)
