"""The floor under the sign POST: the app itself, with a route that keeps only
what every signature must pass through and does one INSERT.

    gunicorn -c gunicorn.conf.py bench.floor_app:app

Everything `create_app` sets up runs as for the real form (the session
cookie, the CSRF check on it, the rate limit counted in Redis, the security
headers, the logging), then one INSERT into `bare_signatures` in the app's
own transaction, and a 303. The signing benchmark drives it like the real
form: what the sign POST costs beyond this floor is the signing itself
(validation, the signature, its link, its mail, the letter draft); what the
floor costs beyond the bare endpoint is the framework and the rules kept.
"""

from flask import redirect, request
from sqlalchemy import text

from app import create_app
from app.campaigns.views import sign_rate_limit
from app.database import transaction
from app.extensions import db, limiter

app = create_app()
_INSERT = text("INSERT INTO bare_signatures (email, name) VALUES (:email, :name)")


@app.post("/c/<slug>/floor")
@limiter.limit(sign_rate_limit, methods=["POST"])
def floor(slug):
    with transaction(db.session):
        db.session().execute(
            _INSERT, {"email": request.form["email"], "name": request.form["name"]}
        )
    return redirect(f"/c/{slug}/thanks", code=303)
