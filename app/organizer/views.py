"""Organizer pages: login, logout, the dashboard and the exports.

Every campaign route looks the campaign up among those granted to the
organizer; any other slug is a 404, whether it exists or not.
"""

import re

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    session,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from app.database import transaction, utcnow
from app.extensions import db, limiter
from app.jobs import jobs_for
from app.numbers import format_count
from app.organizer import auth, exports, pack_jobs, service
from app.organizer.chart import signatures_per_day_svg
from app.organizer.delivery import campaign_recipient
from app.organizer.forms import LoginForm
from app.short_cache import app_cache
from app.signatures.counts import recent_tally

bp = Blueprint("organizer", __name__, url_prefix="/organizer")


def login_rate_limit() -> str:
    return current_app.config["ORGANIZER_LOGIN_RATE_LIMIT"]


# Every attempt from one address counts before the password is checked, so
# parallel guesses cannot all slip under the limit. Failures at one account
# are counted apart (auth.login_refused), so an attacker cannot lock its
# organizer out.
@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def login():
    form = LoginForm()
    if request.method == "POST" and not form.validate():
        return render_template("organizer/login.html", form=form), 422
    if request.method == "POST":
        # Both fields are required: a validated form has text in each.
        email_given, password = form.email.data or "", form.password.data or ""
        email, address = service.account_email(email_given), get_remote_address()
        if auth.login_refused(email, address):
            abort(429)
        with transaction(db.session):  # a hash may be upgraded to current parameters
            organizer = service.authenticate(db.session(), email, password)
        if organizer is not None:
            # A new session: nothing from before the login carries over.
            session.clear()
            login_user(organizer)
            return redirect(safe_next(request.args.get("next")) or url_for("organizer.index"))
        auth.record_failed_login(email, address)
        form.password.errors = [
            *form.password.errors,
            _("The email address or password is not right."),
        ]
    return render_template("organizer/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    # Ends this session and any copy of its cookie, not just this browser's.
    with transaction(db.session):
        service.end_sessions(db.session(), current_user)
    logout_user()
    session.clear()
    return redirect(url_for("organizer.login"))


@bp.get("/")
@login_required
def index():
    campaigns = service.granted_campaigns(db.session(), current_user)
    return render_template("organizer/index.html", campaigns=campaigns)


@bp.get("/c/<slug>/")
@login_required
def dashboard(slug: str):
    granted = granted_or_404(slug)
    campaign = granted.campaign
    tally = recent_tally(
        db.session(),
        campaign.id,
        cache=app_cache(current_app, "tallies"),
        seconds=current_app.config["COUNTS_CACHE_SECONDS"],
    )
    report = exports.counts_report(db.session(), campaign, tally)
    chart = signatures_per_day_svg(
        report.by_day,
        title=_("Confirmed signatures per day"),
        desc=_(
            "%(days)s days with confirmed signatures, at most %(highest)s in one day.",
            days=len(report.by_day),
            highest=max((count for _, count in report.by_day), default=0),
        ),
    )
    return render_template(
        "organizer/dashboard.html",
        format_count=format_count,
        campaign=campaign,
        can_export_signatures=granted.can_export_signatures,
        report=report,
        chart=chart,
        events=service.recent_audit_events(db.session(), campaign),
        pack_jobs=(
            pack_jobs.recent_pack_jobs(db.session(), campaign)
            if granted.can_export_signatures
            else []
        ),
        now=utcnow(),
    )


@bp.get("/c/<slug>/counts.csv")
@login_required
def counts_csv(slug: str):
    campaign = granted_or_404(slug).campaign
    report = exports.counts_report(db.session(), campaign)
    audit(campaign, "export counts.csv")
    return download(exports.counts_csv(report), f"{campaign.slug}-counts.csv", "text/csv")


@bp.get("/c/<slug>/counts.json")
@login_required
def counts_json(slug: str):
    campaign = granted_or_404(slug).campaign
    report = exports.counts_report(db.session(), campaign)
    audit(campaign, "export counts.json")
    response = jsonify(exports.counts_json(report))
    return as_attachment(response, f"{campaign.slug}-counts.json")


@bp.get("/c/<slug>/signatures.csv")
@login_required
def signatures_csv(slug: str):
    campaign = campaign_naming_signers_or_403(slug)
    audit(campaign, "export signatures.csv")
    # The scoped proxy, not db.session(): the streamed rows are read after the
    # view returns, through the session of the stream's own context.
    lines = exports.signatures_csv_lines(db.session, campaign)  # type: ignore[arg-type]
    return download(stream_with_context(lines), f"{campaign.slug}-signatures.csv", "text/csv")


@bp.get("/c/<slug>/delivery.pdf")
@login_required
def delivery_pdf(slug: str):
    """The latest finished pack for the recipient; none is ever built here.

    Without a finished pack, the dashboard offers to build one.
    """
    campaign = campaign_naming_signers_or_403(slug)
    recipient = campaign_recipient(campaign, request.args.get("recipient", ""))
    if recipient is None:
        abort(404)
    job = pack_jobs.latest_ready_pack(db.session(), campaign, recipient, now=utcnow())
    if job is None:
        flash(_("No delivery pack for this recipient is ready. Build one below."), "info")
        return redirect(url_for("organizer.dashboard", slug=slug, _anchor="delivery-packs"))
    return send_pack(campaign, job)


@bp.post("/c/<slug>/delivery-packs")
@login_required
def start_delivery_pack(slug: str):
    """Queue a build; the worker writes the file, the status page follows it."""
    campaign = campaign_naming_signers_or_403(slug)
    recipient = campaign_recipient(campaign, request.form.get("recipient", ""))
    if recipient is None:
        abort(404)
    with transaction(db.session):
        job = pack_jobs.start_pack_job(db.session(), campaign, recipient, current_user)
        audit(campaign, "delivery pack", f"recipient {recipient.key}, build {job.id} started")
    jobs_for(current_app).enqueue_pack(job.id)
    return redirect(url_for("organizer.delivery_pack", slug=slug, job_id=job.id), code=303)


@bp.get("/c/<slug>/delivery-packs/<int:job_id>")
@login_required
def delivery_pack(slug: str, job_id: int):
    campaign = campaign_naming_signers_or_403(slug)
    job = pack_jobs.campaign_pack_job(db.session(), campaign, job_id) or abort(404)
    response = current_app.make_response(
        render_template(
            "organizer/delivery_pack.html",
            campaign=campaign,
            job=job,
            now=utcnow(),
            refresh_seconds=PACK_REFRESH_SECONDS,
        )
    )
    if job.in_progress:
        # Reloads itself while the build runs; no script needed.
        response.headers["Refresh"] = str(PACK_REFRESH_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/c/<slug>/delivery-packs/<int:job_id>/delivery.pdf")
@login_required
def download_delivery_pack(slug: str, job_id: int):
    campaign = campaign_naming_signers_or_403(slug)
    job = pack_jobs.campaign_pack_job(db.session(), campaign, job_id)
    if job is None or not job.is_downloadable(utcnow()):
        abort(404)
    return send_pack(campaign, job)


PACK_REFRESH_SECONDS = 5


def send_pack(campaign, job) -> Response:
    path = pack_jobs.pack_path(current_app.config["DELIVERY_PACK_DIR"], job)
    if not path.is_file():
        abort(404)
    recipient = job.recipient
    audit(campaign, "delivery pack download", f"recipient {recipient.key}, build {job.id}")
    response = send_file(path, mimetype="application/pdf", max_age=0, conditional=False)
    return as_attachment(response, f"{campaign.slug}-{recipient.key}-delivery.pdf")


def granted_or_404(slug: str) -> service.GrantedCampaign:
    granted = service.granted_campaign(db.session(), current_user, slug)
    if granted is None:
        abort(404)
    return granted


def campaign_naming_signers_or_403(slug: str):
    """The granted campaign, if the grant includes the right to see signer names."""
    granted = granted_or_404(slug)
    if not granted.can_export_signatures:
        abort(403)
    return granted.campaign


def audit(campaign, action: str, detail: str = "") -> None:
    """One event per export, committed before the first byte leaves.

    A HEAD request gets the headers without the body: nothing left, so
    nothing is recorded and the request changes nothing.
    """
    if request.method == "HEAD":
        return
    with transaction(db.session):
        service.record_audit_event(
            db.session(), organizer=current_user, action=action, campaign=campaign, detail=detail
        )


def download(body, filename: str, mimetype: str) -> Response:
    return as_attachment(Response(body, mimetype=mimetype), filename)


def as_attachment(response: Response, filename: str) -> Response:
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Exports may name people: no browser or proxy keeps a copy.
    response.headers["Cache-Control"] = "no-store"
    return response


# A path inside the organizer pages, with an optional query, in plain URL
# characters: no scheme or host, no "//", no backslash, no control character
# (a CR or LF would split the Location header).
_ORGANIZER_PATH = re.compile(
    r"/organizer/(?:[A-Za-z0-9._~%-]+/)*[A-Za-z0-9._~%-]*(?:\?[A-Za-z0-9._~%&=+-]*)?"
)


def safe_next(target: str | None) -> str | None:
    """`next` only when it is a path inside the organizer pages, never another site."""
    if not target or not _ORGANIZER_PATH.fullmatch(target):
        return None
    return target
