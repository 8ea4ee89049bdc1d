from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from app.campaigns.forms import strip, valid_email


class LoginForm(FlaskForm):
    # Checked as the sign form checks a signer's address, so what reaches the
    # database is a well-formed address (no control characters, no NUL).
    email = EmailField(
        _l("Email address"),
        filters=[strip],
        validators=[DataRequired(), Length(max=254), valid_email],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)])
