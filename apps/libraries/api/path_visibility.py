"""Server paths in API answers: shown to those who manage the library, left out for everyone else."""

from __future__ import annotations

import re

from apps.libraries.selectors import sees_paths_of

# An absolute path inside a message ("[Errno 2] No such file or directory: '/srv/media/x'").
_ABSOLUTE_PATH = re.compile(r"(?<![\w.:/])/[^\s'\",]+")


def may_see_paths(context: dict, library_id: int | None) -> bool:
    """Whether the requester may see paths of this library; decided once per response (the context is shared)."""
    if "sees_paths" not in context:
        request = context.get("request")
        context["sees_paths"] = sees_paths_of(user=getattr(request, "user", None))
    return context["sees_paths"](library_id)


def without_paths(text: str) -> str:
    """A message with its absolute paths replaced by "<path>", for those who may not see them."""
    return _ABSOLUTE_PATH.sub("<path>", text)
