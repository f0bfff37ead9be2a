from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "disrupt.audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from disrupt.audit import receivers  # noqa: F401  (connects the signal receivers)
