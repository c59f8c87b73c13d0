"""People's accounts: roles, passwords, logging in, API tokens, and why access is refused."""

from __future__ import annotations

# --- Names: each value of the code as people say it -----------------------------------------------

ROLES = {
    "admin": "administration",
    "manager": "responsable d'atelier",
    "technician": "technicien·ne",
    "reception": "accueil",
    "collectivity": "collectivité",
}


# --- Pages and documents --------------------------------------------------------------------------

UI_ACCOUNTS = {
    "login_title": "Connexion",
    "login_field": "Identifiant",
    "password_field": "Mot de passe",
    "login_button": "Se connecter",
}


# --- Refusals and notices -------------------------------------------------------------------------


def password_too_short(minimum: int) -> str:
    return (
        f"Mot de passe trop court : {minimum} caractères au moins. Une phrase de quelques mots est "
        "plus facile à retenir et plus sûre."
    )


def password_too_long(maximum: int) -> str:
    return f"Mot de passe trop long : {maximum} caractères au plus."


def password_too_guessable() -> str:
    return (
        "Mot de passe trop facile à deviner (mot courant, suite de clavier, date, nom…). "
        "Choisissez une phrase de plusieurs mots sans rapport entre eux."
    )


LOGIN_FAILED = "Identifiant ou mot de passe incorrect."


def login_throttled(seconds: int) -> str:
    return f"Trop de tentatives de connexion. Réessayez dans {seconds} s."


NOT_AUTHENTICATED = "Connexion requise : connectez-vous, ou envoyez un jeton d'API valide (Authorization: Bearer …)."

SESSION_EXPIRED = "Votre session a expiré : reconnectez-vous."

CSRF_MISSING = "Jeton anti-falsification (CSRF) absent ou incorrect : rechargez la page et recommencez."


def forbidden(role: str) -> str:
    return f"Votre rôle ({ROLES.get(role, role)}) ne permet pas cette action. Demandez-la à un·e responsable."


def no_access_rule(path: str) -> str:
    return f"Aucune règle d'accès pour {path} : accès refusé par défaut."


def login_taken(login: str) -> str:
    return f"L'identifiant « {login} » est déjà pris."


def role_not_grantable(role: str) -> str:
    return f"Vous ne pouvez pas attribuer le rôle {ROLES.get(role, role)}."


COLLECTIVITY_NEEDS_PARTNER = (
    "Un compte de collectivité est rattaché à une collectivité partenaire : indiquez partner_id."
)

ONLY_COLLECTIVITY_HAS_PARTNER = "Seul un compte de collectivité est rattaché à un partenaire."

OWN_DATA_ONLY = "Un compte de collectivité ne voit que les données de sa collectivité : retirez ce filtre."

TOKEN_IN_USE = "Ce jeton est celui qui fait cette demande : révoquez-le avec un autre jeton ou depuis un compte."
