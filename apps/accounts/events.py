"""The events of users, sign-ins and security: names, what each means, and the payload keys it carries."""

from apps.core.events import EventType

EVENTS = (
    EventType(
        "user.created",
        category="user",
        description="A user account was created.",
        payload=("user_id", "username"),
    ),
    EventType(
        "security.login_failed",
        category="security",
        description="A login failed: wrong password, unknown user, or refused while locked out.",
        payload=("username", "ip", "user_agent", "path", "locked"),
    ),
    EventType(
        "security.lockout",
        category="security",
        description="Too many failed logins locked a username or client IP, for a while or until unlocked.",
        payload=("scope", "key", "username", "ip", "failures", "locked_until", "permanent"),
    ),
    EventType(
        "security.unlocked",
        category="security",
        description="An admin or moderator lifted a login lockout.",
        payload=("scope", "key", "user_id", "username", "by_id"),
    ),
    EventType(
        "security.ip_blocked",
        category="security",
        description="An IP rule refused a request.",
        payload=("ip", "rule", "method", "path"),
    ),
    EventType(
        "auth.login",
        category="auth",
        description="A user signed in (admin, session or API token login).",
        payload=("user_id", "username", "ip", "user_agent", "method"),
    ),
    EventType(
        "auth.logout",
        category="auth",
        description="A user signed out of one session or token.",
        payload=("user_id", "username", "ip", "method"),
    ),
    EventType(
        "auth.token_created",
        category="auth",
        description="An API token was created.",
        payload=("user_id", "username", "token_id", "name", "by_id"),
    ),
    EventType(
        "auth.token_revoked",
        category="auth",
        description="An API token was revoked.",
        payload=("user_id", "username", "token_id", "name", "by_id"),
    ),
    EventType(
        "auth.session_revoked",
        category="auth",
        description="A signed-in session was ended by its user or an admin.",
        payload=("user_id", "username", "session_id", "device", "by_id"),
    ),
    EventType(
        "auth.logout_all",
        category="auth",
        description="Every session and token of a user was ended.",
        payload=("user_id", "username", "sessions", "tokens", "by_id"),
    ),
    EventType(
        "auth.password_changed",
        category="auth",
        description="A password was changed or reset: the user's other sessions and every API token were ended.",
        payload=("user_id", "username", "sessions", "tokens", "by_id"),
    ),
)
