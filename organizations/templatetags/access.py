"""The rulebook (organizations.access) in templates: pages ask these filters, never
`user.is_superuser` or `user.is_staff` themselves."""

from django import template

from organizations import access

register = template.Library()


@register.filter
def is_overseer(user) -> bool:
    """May open the roll-up across agencies (access.is_overseer)."""
    return access.is_overseer(user)


@register.filter
def may_use_admin(user) -> bool:
    """May open the admin (access.may_use_admin)."""
    return access.may_use_admin(user)
