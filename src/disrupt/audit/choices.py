from django.db import models


class AuditAction(models.TextChoices):
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Sign-in failed"
    LOGOUT = "logout", "Signed out"
    READ = "read", "Read"
    DISCLOSURE = "disclosure", "Disclosure"
    SHARING_WIDENED = "sharing_widened", "Sharing widened"
    EXPORT = "export", "Export"
    DOWNLOAD = "download", "Download"
    ROLE_CHANGED = "role_changed", "Roles changed"
    PERMISSION_CHANGED = "permission_changed", "Permission changed"
    ACCOUNT_CREATED = "account_created", "Account created"
    ACCOUNT_CHANGED = "account_changed", "Account changed"
    # Country reports (reports/actions.py)
    REPORT_STARTED = "report_started", "Report started"
    REPORT_SAVED = "report_saved", "Report draft saved"
    REPORT_SUBMITTED = "report_submitted", "Report submitted"
    REPORT_ACCEPTED = "report_accepted", "Report accepted"
    REPORT_RETURNED = "report_returned", "Report returned"
    REPORT_REVISED = "report_revised", "Report version started"
    JOINT_DECLARED = "joint_declared", "Joint figure declared"
    JOINT_CONFIRMED = "joint_confirmed", "Joint figure confirmed"
