"""Password rules: 8 to 128 characters, not a commonly used password, not the email itself.

Flask-Security-Too calls `ShopPasswordUtil.validate` for registration, reset and change. The
breached-password check of Flask-Security needs the internet (haveibeenpwned), and zxcvbn scores
change between releases; a short list of the passwords people really use is deterministic and
catches the guesses an attacker tries first.
"""

import unicodedata

from flask_babel import gettext as _
from flask_security.password_util import PasswordUtil

MIN_LENGTH = 8
MAX_LENGTH = 128

# The most used passwords of at least 8 characters (public leak statistics), in lower case,
# plus the Cyrillic and keyboard-layout favourites of Russian-speaking users.
COMMON_PASSWORDS = frozenset(
    """
    12345678 123456789 1234567890 12345678910 0987654321 87654321 98765432 11111111 00000000
    22222222 88888888 99999999 12341234 11223344 12121212 123123123 112233445566 147258369
    987654321 123qweasd 1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y 1qaz2wsx 1qazxsw2 zaq12wsx zaq1zaq1
    qwertyui qwertyuiop qwerty123 qwerty12 qwerty1234 qwe123qwe asdfghjk asdfghjkl zxcvbnm1
    zxcvbnm123 password password1 password12 password123 password1234 passw0rd p@ssw0rd
    p@ssword pa55word passwort iloveyou iloveyou1 sunshine princess football baseball
    superman batman123 starwars whatever trustno1 letmein1 letmein123 welcome1 welcome123
    abc12345 abcd1234 abcdefgh aa123456 a1234567 a12345678 q1w2e3r4 q1w2e3r4t5 monkey123
    dragon123 master123 michael1 jennifer charlie1 computer internet samsung1 shadow123
    liverpool chelsea1 arsenal1 football1 nicole12 jessica1 michelle 1234qwer qwer1234
    admin123 administrator changeme changeme1 secret123 default1 lavka123 shop12345
    парольпароль пароль123 йцукенгш йцукенгшщз йцукен123 qwertyqwerty gfhjkm123 gfhjkmgfhjkm
    ytnybrfr 123456qwerty qwerty123456 marina123 natasha1 svetlana tatyana1 spartak1
    zenit1925 1qaz2wsx3edc
    """.split()
)


def common_password_problem(password: str, email: str | None = None) -> str | None:
    """A translated reason why `password` is too easy to guess, or None."""
    # Flask-Security hands us NFKD-normalised text ("й" split in two): compare composed forms.
    lowered = unicodedata.normalize("NFKC", password).strip().lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) <= 2:
        return _("This password is too common. Please choose another one.")
    if email and lowered in {email.lower(), email.split("@")[0].lower()}:
        return _("The password must not be your email address.")
    return None


class ShopPasswordUtil(PasswordUtil):
    """Flask-Security's length check, with the upper bound and the common-password list."""

    def validate(self, password, is_register, **kwargs):
        if len(self.normalize(password)) > MAX_LENGTH:
            # Flask-Security would say "at least 8 characters", which misleads here.
            return [_("The password must be 8 to 128 characters long.")], self.normalize(password)
        problems, normalized = super().validate(password, is_register, **kwargs)
        if problems:
            return problems, normalized
        email = kwargs.get("email")
        user = kwargs.get("user")
        if not email and user is not None:
            email = getattr(user, "email", None)
        problem = common_password_problem(normalized, email)
        return ([problem] if problem else None), normalized
