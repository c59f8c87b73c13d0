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

# The pages that run the accounts: users, one's password, API tokens, the one-time code.
ACCOUNTS = {
    "nav_users": "Comptes",
    "nav_tokens": "Jetons d'API",
    "nav_password": "Mon mot de passe",
    "users_title": "Comptes",
    "users_search": "Chercher un identifiant ou un nom",
    "search": "Chercher",
    "no_user": "Aucun compte ne correspond.",
    "users_count": "Nombre de comptes :",
    "new_user": "Nouveau compte",
    "new_user_title": "Nouveau compte",
    "new_user_help": (
        "La personne choisit elle-même son mot de passe : à la création, un code à usage unique s'affiche, "
        "à lui remettre."
    ),
    "create_user": "Créer le compte et son code",
    "login": "Identifiant",
    "login_help": "2 à 80 lettres sans accent, chiffres, . _ @ -",
    "name": "Nom affiché",
    "role": "Rôle",
    "pick_role": "— choisir —",
    "collectivity": "Collectivité (seulement pour un compte ou un jeton de collectivité)",
    "no_collectivity": "aucune",
    "sites": "Sites",
    "sites_help": "Les sites où la personne travaille (plusieurs possibles).",
    "active": "Actif",
    "inactive": "Désactivé",
    "last_login": "Dernière connexion",
    "never": "jamais",
    "edit": "Modifier",
    "back_to_users": "Retour aux comptes",
    "account_title": "Compte",
    "save": "Enregistrer",
    "saved": "Modifications enregistrées.",
    "not_yours_to_change": "Ce compte a un rôle que vous ne pouvez pas attribuer : seul un compte d'administration le modifie.",
    "deactivate": "Désactiver le compte",
    "deactivate_help": "La personne ne peut plus se connecter ; ses sessions ouvertes se ferment tout de suite.",
    "reactivate": "Réactiver le compte",
    "reset": "Donner un code pour un nouveau mot de passe",
    "reset_help": "Le mot de passe actuel reste valable jusqu'à ce que la personne utilise le code.",
    "code_title": "Code à usage unique",
    "code_for": "Code à usage unique pour",
    "code_shown_once": (
        "Notez-le ou remettez-le maintenant à la personne : il ne sera plus jamais affiché. Il sert une seule fois."
    ),
    "code_until": "Valable jusqu'au",
    "code_how": "La personne va sur la page de connexion, choisit « J'ai un code à usage unique », puis choisit son mot de passe :",
    "have_a_code": "J'ai un code à usage unique",
    "code_login_title": "Choisir mon mot de passe avec un code",
    "code_login_help": "Le code vous a été remis par un·e responsable ; il sert une fois et expire.",
    "code": "Code à usage unique",
    "new_password": "Nouveau mot de passe",
    "new_password_again": "Nouveau mot de passe, encore",
    "password_rules": (
        "12 caractères au moins, difficile à deviner : une phrase de quelques mots sans rapport entre eux "
        "(pas votre nom, pas un mot courant)."
    ),
    "set_password": "Enregistrer et me connecter",
    "password_title": "Mon mot de passe",
    "current_password": "Mot de passe actuel",
    "change_password": "Changer mon mot de passe",
    "password_changed": "Mot de passe changé. Vos autres sessions ouvertes sont fermées.",
    "tokens_title": "Jetons d'API",
    "tokens_help": (
        "Un jeton d'API est une clé pour un programme (le script de diagnostic, un tableur, une autre "
        "application), pas pour une personne : il agit avec son propre rôle, sans identifiant ni mot de "
        "passe. Chaque personne a son propre compte."
    ),
    "no_token": "Aucun jeton pour l'instant.",
    "token_name": "Nom (à quoi il sert)",
    "token_prefix": "Début du jeton",
    "created": "Créé le",
    "created_by": "Créé par",
    "expires": "Expire le",
    "expires_in_days": "Expire dans (jours, vide : jamais)",
    "last_used": "Dernière utilisation",
    "revoked": "Révoqué le",
    "revoke": "Révoquer",
    "create_token": "Créer le jeton",
    "new_token": "Nouveau jeton",
    "token_secret": "Le secret du jeton",
    "token_shown_once": (
        "Copiez-le maintenant dans le programme qui l'utilisera : il ne sera plus jamais affiché "
        "(seul son début reste visible dans la liste)."
    ),
    "status": "État",
    "in_use": "en service",
    "expired": "expiré",
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

USER_NAME = "Compte"

LOGIN_FORMAT = "Identifiant : 2 à 80 lettres sans accent, chiffres, . _ @ - (par exemple « julie.dupont »)."

NAME_NEEDED = "Nom affiché : écrivez le nom de la personne (par exemple « Julie Dupont »)."

PICK_ROLE = "Rôle : choisissez-en un dans la liste."

TOKEN_NAME_NEEDED = "Nom : dites à quoi sert ce jeton (par exemple « diagnostic USB »)."

LAST_ADMIN = (
    "C'est le dernier compte d'administration actif : l'atelier n'aurait plus personne pour gérer ses sites "
    "et ses comptes. Donnez d'abord le rôle administration à un autre compte."
)

CANNOT_DEACTIVATE_ONESELF = (
    "Vous ne pouvez pas désactiver votre propre compte : demandez-le à un autre compte d'administration."
)

RESET_NEEDS_ACTIVE = "Ce compte est désactivé : réactivez-le avant de lui donner un code."

CODE_REFUSED = (
    "Identifiant ou code incorrect, ou code expiré ou déjà utilisé : vérifiez-le, ou demandez-en un "
    "nouveau à un·e responsable."
)

PASSWORDS_DIFFER = "Les deux nouveaux mots de passe ne sont pas identiques : tapez-les à nouveau."

CURRENT_PASSWORD_WRONG = "Mot de passe actuel incorrect : tapez celui avec lequel vous vous êtes connecté·e."

PASSWORD_UNCHANGED = "Le nouveau mot de passe est l'actuel : choisissez-en un autre."

TOKEN_HAS_NO_PASSWORD = "Un jeton d'API n'a pas de mot de passe : connectez-vous avec votre compte."

TOKEN_IN_USE = "Ce jeton est celui qui fait cette demande : révoquez-le avec un autre jeton ou depuis un compte."
