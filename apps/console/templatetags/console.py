"""Template filters of the console: {{ seconds|duration }}, {{ bytes|filesize }}, {{ bits|bitrate }}."""

from __future__ import annotations

from django import template

from apps.console import humanize

register = template.Library()

register.filter("duration", humanize.duration)
register.filter("filesize", humanize.filesize)
register.filter("bitrate", humanize.bitrate)
register.filter("ago", humanize.ago)


@register.filter
def percent_of(value, total) -> int:
    """{{ position|percent_of:duration }} → 0..100."""
    return humanize.percent(value, total)
