"""Operator review of duplicate groups: keep one file, "not a duplicate", delete a file from disk after confirming."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from apps.core.admin_writes import ServiceWrites
from apps.media import selectors
from apps.media.duplicates import review
from apps.media.models import DuplicateGroup, DuplicateMember


class DuplicateMemberInline(admin.TabularInline):
    model = DuplicateMember
    extra = 0
    max_num = 0
    can_delete = False
    fields = ("file", "size", "duration", "video")
    readonly_fields = fields

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="size")
    def size(self, member: DuplicateMember) -> int:
        return member.file.size

    @admin.display(description="duration (s)")
    def duration(self, member: DuplicateMember) -> float | None:
        return member.file.duration

    @admin.display(description="video")
    def video(self, member: DuplicateMember) -> str:
        stream = member.file.streams.filter(type="video").order_by("index").first()
        return f"{stream.codec} {stream.width}x{stream.height}" if stream else "-"


def _message(error: ValidationError) -> str:
    return "; ".join(error.messages)


@admin.register(DuplicateGroup)
class DuplicateGroupAdmin(ServiceWrites, admin.ModelAdmin):
    """Groups of the libraries the operator manages (the selector decides), reviewed one at a time."""

    list_display = ("__str__", "kind", "library", "status", "member_count", "distance", "updated_at")
    list_filter = ("kind", "status", "library")
    list_select_related = ("library",)
    readonly_fields = ("library", "kind", "status", "kept_file", "distance", "decided_by", "decided_at", "created_at")
    fields = readonly_fields
    inlines = [DuplicateMemberInline]
    actions = ["dismiss_selected"]

    def get_queryset(self, request):
        return selectors.duplicate_groups_visible_to(user=request.user).select_related("library")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a rebuild would bring the group back; dismiss it instead

    def service_save(self, obj, *, by) -> None:
        """Every field is read-only here: a group changes by its review page and the dismiss action."""

    @admin.display(description="files", ordering="member_count")
    def member_count(self, group: DuplicateGroup) -> int:
        return group.member_count

    @admin.action(description="Mark as not a duplicate (remembered)", permissions=["change"])
    def dismiss_selected(self, request: HttpRequest, queryset) -> None:
        for group in queryset:
            review.duplicate_dismiss(group=group, by=request.user)
        self.message_user(request, f"{queryset.count()} group(s) marked as not a duplicate.", messages.SUCCESS)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:group_id>/keep/<int:file_id>/", view(require_POST(self.keep_view)), name="media_duplicate_keep"),
            path("<int:group_id>/dismiss/", view(require_POST(self.dismiss_view)), name="media_duplicate_dismiss"),
            path(
                "<int:group_id>/delete-file/<int:file_id>/",
                view(self.delete_file_view),
                name="media_duplicate_delete_file",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        group = self.get_object(request, unquote(object_id))
        if group is None:  # the admin answers a missing object itself
            return super().change_view(request, object_id, form_url, extra_context)
        loaded = selectors.duplicate_groups_with_members(groups=self.get_queryset(request).filter(pk=group.pk)).get()
        extra = {
            "review_members": list(loaded.members.all()),
            "may_review": self.has_change_permission(request, group),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def _group(self, request: HttpRequest, group_id: int) -> DuplicateGroup:
        """The group through the selector (404 when not visible), for one who may change it (else 403)."""
        group = self.get_queryset(request).filter(pk=group_id).first()
        if group is None:
            raise Http404("No such duplicate group.")
        if not self.has_change_permission(request, group):
            raise PermissionDenied
        return group

    def _back(self, group: DuplicateGroup | None) -> HttpResponseRedirect:
        if group is None:
            return HttpResponseRedirect(reverse("admin:media_duplicategroup_changelist"))
        return HttpResponseRedirect(reverse("admin:media_duplicategroup_change", args=[group.pk]))

    def keep_view(self, request: HttpRequest, group_id: int, file_id: int) -> HttpResponse:
        group = self._group(request, group_id)
        try:
            review.duplicate_keep(group=group, file_id=file_id, by=request.user)
        except ValidationError as error:
            self.message_user(request, _message(error), messages.ERROR)
        else:
            self.message_user(request, f"Keeping {group.kept_file}.", messages.SUCCESS)
        return self._back(group)

    def dismiss_view(self, request: HttpRequest, group_id: int) -> HttpResponse:
        group = self._group(request, group_id)
        review.duplicate_dismiss(group=group, by=request.user)
        self.message_user(request, "Marked as not a duplicate; these files will not be grouped again.")
        return self._back(group)

    def delete_file_view(self, request: HttpRequest, group_id: int, file_id: int) -> HttpResponse:
        """GET: what would be deleted, and a form to confirm; POST with confirm=yes: delete it from disk."""
        group = self._group(request, group_id)
        member = group.members.select_related("file").filter(file_id=file_id).first()
        if member is None:
            raise Http404("No such file in this group.")
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            path_text = member.file.path
            try:
                remaining = review.duplicate_file_delete(group=group, file_id=file_id, confirm=True, by=request.user)
            except ValidationError as error:
                self.message_user(request, _message(error), messages.ERROR)
                return self._back(group)
            self.message_user(request, f"Deleted {path_text} from disk.", messages.SUCCESS)
            return self._back(remaining)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Delete a file from disk?",
            "group": group,
            "file": member.file,
            "others": [m.file for m in group.members.select_related("file").exclude(file_id=file_id)],
        }
        return TemplateResponse(request, "admin/media/duplicategroup/delete_file_confirmation.html", context)
