"""Users with a role and a territorial or organisational scope, API tokens and the audit trail."""

import hashlib
import uuid
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("Administrador nacional")
    NATIONAL_ANALYST = "national_analyst", _("Analista nacional")
    REGIONAL_ANALYST = "regional_analyst", _("Analista regional")
    PARTNER_USER = "partner_user", _("Usuario de entidad aliada")
    MUNICIPAL_USER = "municipal_user", _("Usuario municipal")
    FAIR_OPERATOR = "fair_operator", _("Operador de feria")


class User(AbstractUser):
    """A person who signs in. Scope depends on the role:

    - regional analysts see the departments in ``departments``;
    - partner-entity users act for ``organization``;
    - municipal users see ``municipality``.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(
        _("rol"), max_length=32, choices=Role.choices, default=Role.NATIONAL_ANALYST
    )
    departments = models.ManyToManyField(
        "territories.Department",
        blank=True,
        related_name="regional_users",
        verbose_name=_("departamentos"),
    )
    organization = models.ForeignKey(
        "offers.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("entidad"),
    )
    municipality = models.ForeignKey(
        "territories.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="municipal_users",
        verbose_name=_("municipio"),
    )

    class Meta:
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")

    @property
    def is_national(self) -> bool:
        return self.role in (Role.NATIONAL_ADMIN, Role.NATIONAL_ANALYST) or self.is_superuser


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a SHA-256 digest of the key is stored.

    ``uuid`` is the token's external identifier (URLs, audit trail); ``prefix`` is the first
    characters of the key, shown so that a person can tell their tokens apart.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nombre"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("token de API")
        verbose_name_plural = _("tokens de API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, *, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.expires_at is not None and self.expires_at <= now

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class AuditEvent(models.Model):
    """One change to the platform's data: who, when, what, before and after.

    Written by services in the same transaction as the change. ``object_id`` is the
    object's external identifier (UUID, DIVIPOLA code, user name), never a primary key.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, db_index=True)
    object_id = models.CharField(max_length=64, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    message = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("evento de auditoría")
        verbose_name_plural = _("eventos de auditoría")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        when = f"{self.occurred_at:%Y-%m-%d %H:%M}"
        return f"{when} {self.actor_label} {self.action} {self.object_id}"
