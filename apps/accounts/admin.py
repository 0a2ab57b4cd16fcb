"""Operator views of users, roles and API tokens; rank rules hold here as in the API."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse

from apps.accounts import rules
from apps.accounts.models import SETTING_FIELDS, ApiToken, IPRule, LoginLockout, Role, User
from apps.accounts.selectors import roles_visible_to, users_visible_to
from apps.accounts.services import ip_rules, lockout, passwords, roles, sessions, tokens, users
from apps.core.admin_writes import ServiceWrites


class PasswordForm(AdminPasswordChangeForm):
    """Saves through passwords.password_set, so a new password ends the user's other sessions and tokens."""

    def save(self, commit: bool = True) -> User:
        request = passwords.admin_request.get()
        usable = self.cleaned_data.get("set_usable_password", True)
        password = self.cleaned_data["password1"] if usable else None
        passwords.password_set(user=self.user, password=password, by=getattr(request, "user", None), request=request)
        return self.user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users the operator may see; changes and the role choices follow the same rules as the API."""

    change_password_form = PasswordForm
    fieldsets = (
        *DjangoUserAdmin.fieldsets[:2],
        ("Role", {"fields": ("role", "is_active", "settings_overrides")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "role", "usable_password", "password1", "password2")}),
    )
    list_display = ("username", "display_name", "email", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    list_select_related = ("role__group",)
    actions = ["unlock"]

    def get_queryset(self, request):
        return users_visible_to(user=request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "role" in form.base_fields:
            # Only roles the operator may give; the user's own role stays a valid (unchanged) answer.
            choices = rules.roles_assignable_by(request.user)
            if obj is not None and obj.role_id:
                choices = choices | Role.objects.filter(pk=obj.role_id)
            form.base_fields["role"].queryset = choices.select_related("group").distinct()
        return form

    def has_change_permission(self, request, obj: User | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or rules.may_manage_user(actor=request.user, user=obj))

    def has_delete_permission(self, request, obj: User | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or rules.may_manage_user(actor=request.user, user=obj))

    @admin.action(description="Unlock sign-in of the selected users", permissions=["change"])
    def unlock(self, request, queryset) -> None:
        unlocked = []
        for user in queryset:
            try:
                if lockout.user_unlock(user=user, by=request.user):
                    unlocked.append(user.get_username())
            except PermissionDenied as exc:
                messages.error(request, f"{user.get_username()}: {exc}")
        messages.success(request, f"Unlocked: {', '.join(unlocked)}" if unlocked else "Nobody was locked out.")

    def user_change_password(self, request, id, form_url=""):
        lent = passwords.admin_request.set(request)
        before = request.session.session_key
        try:
            response = super().user_change_password(request, id, form_url)
        finally:
            passwords.admin_request.reset(lent)
        # Django cycles the changer's session key afterwards; their device row follows it.
        sessions.session_rekey(old_key=before, new_key=request.session.session_key)
        return response

    def save_model(self, request, obj: User, form, change: bool) -> None:
        """Through the services, like the API: they check the rank and role rules and set groups and access."""
        wanted = form.cleaned_data.get("role")
        if not change:
            password = form.cleaned_data.get("password1") if obj.has_usable_password() else ""
            user = users.user_create(username=obj.username, password=password or "", by=request.user, role=wanted)
            obj.pk, obj.password, obj.role = user.pk, user.password, user.role
            return
        stored = User.objects.select_related("role__group").get(pk=obj.pk)
        fields = self.service_fields(form)
        role = wanted if wanted is not None and wanted != stored.role else None
        users.user_update(user=stored, by=request.user, role=role, **fields)

    def service_fields(self, form) -> dict:
        """The changed fields user_update writes (role and password have their own ways in)."""
        model_fields = {f.name for f in User._meta.fields}
        return {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in model_fields and name not in ("role", "password")
        }

    def delete_model(self, request, obj: User) -> None:
        users.user_delete(user=obj, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for user in queryset:
            users.user_delete(user=user, by=request.user)


class RoleForm(forms.ModelForm):
    name = forms.CharField(max_length=150)
    permissions = forms.ModelMultipleChoiceField(
        queryset=Permission.objects.select_related("content_type"),
        required=False,
        widget=admin.widgets.FilteredSelectMultiple("permissions", False),
    )

    class Meta:
        model = Role
        fields = ["name", "rank", "description", "permissions", *SETTING_FIELDS]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["name"].initial = self.instance.group.name
            self.fields["permissions"].initial = self.instance.group.permissions.all()

    def clean_name(self) -> str:
        # The service's own check, so that a taken name is a form error rather than a failed save.
        role = self.instance if self.instance.pk else None
        try:
            return roles.role_name_clean(name=self.cleaned_data["name"], role=role)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict.get("name", exc.messages)) from exc


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    form = RoleForm
    list_display = ("name", "rank", "is_builtin", "max_streams", "may_download", "max_parental_age")
    list_select_related = ("group",)

    def get_queryset(self, request):
        return roles_visible_to(user=request.user)

    def has_change_permission(self, request, obj: Role | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or rules.outranks(actor=request.user, target=obj))

    def save_model(self, request, obj: Role, form, change: bool) -> None:
        data = {k: v for k, v in form.cleaned_data.items() if k in SETTING_FIELDS or k in ("rank", "description")}
        name, permissions = form.cleaned_data["name"], list(form.cleaned_data["permissions"])
        if change:
            roles.role_update(role=obj, by=request.user, name=name, permissions=permissions, **data)
        else:
            role = roles.role_create(name=name, by=request.user, permissions=permissions, **data)
            obj.pk, obj.group = role.pk, role.group

    def has_delete_permission(self, request, obj: Role | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and not (obj and (obj.is_builtin or not rules.outranks(actor=request.user, target=obj)))

    def delete_model(self, request, obj: Role) -> None:
        roles.role_delete(role=obj, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for role in queryset:
            roles.role_delete(role=role, by=request.user)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "expires_at")
    list_select_related = ("user",)
    search_fields = ("name", "user__username", "prefix")
    fields = ("user", "name", "expires_at", "prefix", "created_at", "last_used_at")
    readonly_fields = ("prefix", "created_at", "last_used_at")
    autocomplete_fields = ("user",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj: ApiToken, form, change: bool) -> None:
        token, raw_key = tokens.api_token_create(
            user=obj.user, name=obj.name, expires_at=obj.expires_at, by=request.user
        )
        obj.pk = token.pk
        request.api_token_raw_key = raw_key  # for response_add, on this request only: never in messages or cookies

    def response_add(self, request, obj: ApiToken, post_url_continue=None):
        """The page that answers the creation shows the key once; no redirect carries it anywhere."""
        raw_key = getattr(request, "api_token_raw_key", None)
        if raw_key is None:
            return super().response_add(request, obj, post_url_continue)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "token": obj, "raw_key": raw_key}
        response = TemplateResponse(request, "admin/accounts/apitoken/created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    def delete_model(self, request, obj: ApiToken) -> None:
        tokens.token_revoke(token=obj, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for token in queryset.select_related("user"):
            tokens.token_revoke(token=token, by=request.user)


@admin.register(IPRule)
class IPRuleAdmin(ServiceWrites, admin.ModelAdmin):
    """Locked out by a rule? `manage.py disable_ip_rules` turns them all off."""

    list_display = ("network", "kind", "enabled", "description", "created_at")
    list_filter = ("kind", "enabled")
    search_fields = ("network", "description")

    def service_save(self, obj, *, by) -> None:
        ip_rules.ip_rule_save(rule=obj, by=by)

    def service_delete(self, obj, *, by) -> None:
        ip_rules.ip_rule_delete(rule=obj, by=by)


@admin.register(LoginLockout)
class LoginLockoutAdmin(ServiceWrites, admin.ModelAdmin):
    """Failed-login counters; the unlock action lifts a lock (of an address, say) and forgets its count."""

    list_display = ("scope", "key", "failures", "locked_until", "permanent", "last_failure_at")
    list_filter = ("scope", "permanent")
    search_fields = ("key", "username", "ip")
    readonly_fields = [f.name for f in LoginLockout._meta.fields]
    actions = ["unlock"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Unlock (forget the failed logins of) the selected entries", permissions=["delete"])
    def unlock(self, request, queryset) -> None:
        for row in queryset:
            lockout.lockout_unlock(lockout=row, by=request.user)
        messages.success(request, f"Unlocked {len(queryset)} entries.")

    def service_delete(self, obj, *, by) -> None:
        # Deleting a counter is unlocking it: the same service, recorded the same way.
        lockout.lockout_unlock(lockout=obj, by=by)
