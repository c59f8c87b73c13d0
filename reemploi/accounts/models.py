"""Accounts: users and their sites, server-side web sessions, API tokens, login throttling and the
record of logins and token use. All in the database, so several app processes share them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from reemploi.accounts.roles import Role
from reemploi.db import Base, Timestamp, utcnow

_ROLE_CHECK = f"role IN ({', '.join(repr(r.value) for r in Role)})"
# A collectivity account is bound to its collectivity partner, and only such an account is.
_PARTNER_CHECK = "(role = 'collectivity') = (partner_id IS NOT NULL)"


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(_ROLE_CHECK, name="role"),
        CheckConstraint(_PARTNER_CHECK, name="partner"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(80), unique=True)  # lower case
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(Timestamp)
    # The label template this person prints on, when it is not their site's default.
    label_template: Mapped[str | None] = mapped_column(String(60))


class UserSite(Base):
    """A site a user works at (a workshop may have several)."""

    __tablename__ = "user_sites"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)


class WebSession(Base):
    """A browser's login. The cookie holds a random key; only its SHA-256 is stored."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(Timestamp, index=True)
    last_seen_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    address: Mapped[str] = mapped_column(String(64), default="")


class ApiToken(Base):
    """A machine's or an integration's key: its own role (and collectivity), shown once, stored hashed."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint(_ROLE_CHECK, name="role"),
        CheckConstraint(_PARTNER_CHECK, name="partner"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))  # the first characters, to recognise it in a list
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(Timestamp)
    revoked_at: Mapped[datetime | None] = mapped_column(Timestamp)
    last_used_at: Mapped[datetime | None] = mapped_column(Timestamp)
    last_used_address: Mapped[str] = mapped_column(String(64), default="")


class LoginThrottle(Base):
    """Failed logins for one account or one address; past a few, each try waits longer."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)  # "login:<login>" or "address:<ip>"
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    blocked_until: Mapped[datetime | None] = mapped_column(Timestamp)


class AuthEvent(Base):
    """A login, a failed or refused one, a logout, a token created or revoked."""

    __tablename__ = "auth_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(30))
    login: Mapped[str] = mapped_column(String(80), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    address: Mapped[str] = mapped_column(String(64), default="")


class PasswordReset(Base):
    """A one-time code that lets a person set their password (a new account, a forgotten password).

    Shown once to whoever issued it; only its SHA-256 is stored. It expires, serves once, and a newer
    code for the same person replaces it."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(Timestamp)
    used_at: Mapped[datetime | None] = mapped_column(Timestamp)
