"""Signal receivers: sign-ins, failures, sign-outs, and changes of roles and account flags."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from disrupt.audit.choices import AuditAction
from disrupt.audit.recorder import record
from disrupt.directory.models import User

# Account flags whose change is a change of permission.
PERMISSION_FLAGS = ("is_active", "is_staff", "is_superuser")


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    record(AuditAction.LOGIN, actor=user, target=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None and user.is_authenticated:
        record(AuditAction.LOGOUT, actor=user, target=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Only the address tried; Django masks the password, and we keep nothing of it anyway.
    email = str(credentials.get("username") or credentials.get("email") or "")[:254]
    account = User.objects.filter(email__iexact=email).select_related("agency").first() if email else None
    record(
        AuditAction.LOGIN_FAILED,
        actor=None,
        target=account,
        detail={"email": email},
        request=request,
        infer_actor=False,  # nobody's act, even if someone is signed in on that browser
    )


@receiver(m2m_changed, sender=User.roles.through, dispatch_uid="audit_roles")
def _roles_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if action not in {"pre_clear", "post_add", "post_remove"} or reverse:
        return
    from disrupt.directory.models import Role

    if action == "pre_clear":
        codes = sorted(instance.roles.values_list("code", flat=True))
        if not codes:
            return
        change = {"removed": codes}
    else:
        codes = sorted(Role.objects.filter(pk__in=pk_set or ()).values_list("code", flat=True))
        if not codes:
            return
        change = {"added" if action == "post_add" else "removed": codes}
    instance.__dict__.pop("_role_codes", None)
    record(AuditAction.ROLE_CHANGED, target=instance, detail=change)


@receiver(pre_save, sender=User, dispatch_uid="audit_user_flags_before")
def _remember_flags(sender: Any, instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    if instance.pk is None or kwargs.get("raw"):
        return
    if update_fields is not None and not set(update_fields) & set(PERMISSION_FLAGS):
        return  # e.g. last_login on every sign-in: no query
    before = User.objects.filter(pk=instance.pk).values(*PERMISSION_FLAGS).first()
    instance._audit_flags_before = before  # type: ignore[attr-defined]


@receiver(post_save, sender=User, dispatch_uid="audit_user_flags_after")
def _flags_changed(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    if created:
        record(AuditAction.ACCOUNT_CREATED, target=instance)
        return
    before = instance.__dict__.pop("_audit_flags_before", None)
    if not before:
        return
    changes = {
        flag: [before[flag], getattr(instance, flag)]
        for flag in PERMISSION_FLAGS
        if before[flag] != getattr(instance, flag)
    }
    if changes:
        record(AuditAction.PERMISSION_CHANGED, target=instance, detail=changes)
