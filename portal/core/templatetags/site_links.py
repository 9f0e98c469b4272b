"""`{% absolute_url 'name' ... %}`: a link for an email, built on `SITE_URL` (portal.core.links)."""

from django import template
from django.urls import reverse

from portal.core import links

register = template.Library()


@register.simple_tag
def absolute_url(view_name: str, *args, **kwargs) -> str:
    return links.absolute_url(reverse(view_name, args=args, kwargs=kwargs))
