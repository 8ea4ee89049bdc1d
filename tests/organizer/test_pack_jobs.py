"""Delivery packs as jobs: started from the dashboard, built by the queue,
downloaded for a while, then deleted.

The queue runs in immediate mode here (the build happens within the POST
that starts it); tests/jobs/ run a real worker.
"""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import transaction, utcnow
from app.extensions import db
from app.jobs import jobs_for
from app.organizer import pack_jobs
from app.organizer.models import AuditEvent
from app.organizer.pack_jobs import DeliveryPackJob
from app.signatures.models import Signature
from app.signatures.service import withdraw
from tests.organizer.conftest import ALICE, CAMPAIGN_X, CAMPAIGN_Y, log_in
from tests.organizer.test_delivery import pdf_text
from tests.signing import add_signature

BASE = f"/organizer/c/{CAMPAIGN_X}"


@pytest.fixture
def app_overrides(tmp_path):
    return {"DELIVERY_PACK_DIR": tmp_path / "packs", "DELIVERY_PACK_CHUNK_SIZE": 2}


@pytest.fixture
def signers(organizers):
    add_signature(name="Jane Smith", city="Leeds", country="GB")
    add_signature(name="김철수", city="서울", country="KR")
    add_signature(name="王小明", city="Shanghai", country="CN")
    add_signature(name="Hidden Signer", include_in_delivery=False)


def start(client, recipient="unhcr", slug=CAMPAIGN_X):
    return client.post(f"/organizer/c/{slug}/delivery-packs", data={"recipient": recipient})


def the_job() -> DeliveryPackJob:
    db.session.rollback()
    return db.session.scalar(select(DeliveryPackJob))


def audit_trail() -> list[tuple[str, str]]:
    db.session.rollback()
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
    return [(event.action, event.detail) for event in events]


def test_an_organizer_builds_a_pack_through_the_queue_and_downloads_it(signers, alice):
    response = start(alice)
    job = the_job()
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/delivery-packs/{job.id}"
    assert job.status == "ready"
    assert (job.names_total, job.names_done, job.chunks_total) == (3, 3, 2)

    page = alice.get(f"{BASE}/delivery-packs/{job.id}").get_data(as_text=True)
    assert "Download the delivery pack" in page
    download = alice.get(f"{BASE}/delivery-packs/{job.id}/delivery.pdf")

    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.headers["Cache-Control"] == "no-store"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    text = pdf_text(download.get_data())
    assert "Jane Smith" in text and "김철수" in text and "Hidden Signer" not in text
    assert audit_trail() == [
        ("delivery pack", f"recipient unhcr, build {job.id} started"),
        ("delivery pack download", f"recipient unhcr, build {job.id}"),
    ]


def test_the_old_pack_address_serves_the_latest_finished_pack(signers, alice):
    start(alice)
    response = alice.get(f"{BASE}/delivery.pdf?recipient=unhcr")
    assert response.status_code == 200
    assert "Jane Smith" in pdf_text(response.get_data())


def test_the_old_pack_address_builds_nothing_and_points_to_the_dashboard(signers, alice):
    response = alice.get(f"{BASE}/delivery.pdf?recipient=unhcr")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{BASE}/#delivery-packs"
    assert the_job() is None
    assert audit_trail() == []


def test_a_pack_in_progress_shows_its_progress_and_reloads_itself(signers, alice, monkeypatch):
    monkeypatch.setattr(jobs_for(alice.application), "enqueue_pack", lambda job_id: False)
    start(alice)
    job = the_job()
    job.status, job.names_total, job.names_done, job.chunk_size = "building", 3000, 1000, 500
    db.session.commit()

    response = alice.get(f"{BASE}/delivery-packs/{job.id}")

    page = " ".join(response.get_data(as_text=True).split())
    assert response.headers["Refresh"] == "5"
    assert "1,000 of 3,000 named signatories laid out (2 of 6 parts)" in page
    assert "Reload this page" in page
    assert alice.get(f"{BASE}/delivery-packs/{job.id}/delivery.pdf").status_code == 404


def test_a_build_left_queued_while_the_queue_was_down_is_picked_up_by_the_sweep(signers, alice):
    jobs = jobs_for(alice.application)
    jobs.enqueue_pack = lambda job_id: False  # the queue refused it
    start(alice)
    job = the_job()
    assert job.status == "queued"
    job.created_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    del jobs.enqueue_pack

    jobs.run_periodic("outbox-sweep")

    assert the_job().status == "ready"


def test_the_dashboard_lists_the_recent_builds(signers, alice):
    start(alice)
    html = alice.get(f"{BASE}/").get_data(as_text=True)
    job = the_job()
    assert f'href="{BASE}/delivery-packs/{job.id}"' in html
    assert re.search(r"<td><a [^>]*>ready</a></td>", html)


def test_an_expired_pack_is_deleted_by_the_cleanup_job_and_no_longer_served(signers, alice):
    start(alice)
    job = the_job()
    path = pack_jobs.pack_path(alice.application.config["DELIVERY_PACK_DIR"], job)
    assert path.is_file()
    job.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()

    jobs_for(alice.application).run_periodic("delivery-pack-cleanup")

    assert not path.exists()
    assert the_job().status == "expired"
    assert alice.get(f"{BASE}/delivery-packs/{job.id}/delivery.pdf").status_code == 404
    assert "deleted after its download time" in alice.get(
        f"{BASE}/delivery-packs/{job.id}"
    ).get_data(as_text=True)


def test_a_pack_is_offered_for_the_configured_time(signers, alice):
    alice.application.config["DELIVERY_PACK_HOURS"] = 2
    start(alice)
    job = the_job()
    assert timedelta(hours=2) - (job.expires_at - job.finished_at) < timedelta(seconds=1)


def test_pack_files_live_outside_any_public_folder_readable_by_the_server_only(signers, alice):
    start(alice)
    path = pack_jobs.pack_path(alice.application.config["DELIVERY_PACK_DIR"], the_job())
    assert path.stat().st_mode & 0o077 == 0
    static = alice.application.static_folder
    assert not str(path.resolve()).startswith(str(static))


def test_an_organizer_without_the_signatures_right_can_neither_start_nor_fetch_a_pack(signers, bob):
    # Bob has campaign Y with counts only.
    base = f"/organizer/c/{CAMPAIGN_Y}"
    assert start(bob, slug=CAMPAIGN_Y).status_code == 403
    assert the_job() is None
    assert bob.get(f"{base}/delivery-packs/1").status_code == 403
    assert bob.get(f"{base}/delivery-packs/1/delivery.pdf").status_code == 403
    assert bob.get(f"{base}/delivery.pdf?recipient=unhcr").status_code == 403
    assert "Build the delivery pack" not in bob.get(f"{base}/").get_data(as_text=True)


def test_another_campaigns_packs_are_a_404(signers, client):
    log_in(client, ALICE)
    start(client)
    job = the_job()
    for path in (
        f"/organizer/c/{CAMPAIGN_Y}/delivery-packs/{job.id}",
        f"/organizer/c/{CAMPAIGN_Y}/delivery-packs/{job.id}/delivery.pdf",
        f"{BASE}/delivery-packs/{job.id + 1}",
        f"{BASE}/delivery-packs/{job.id + 1}/delivery.pdf",
    ):
        assert client.get(path).status_code == 404, path
    assert start(client, slug=CAMPAIGN_Y).status_code == 404


def test_a_recipient_the_campaign_does_not_name_starts_nothing(signers, alice):
    assert start(alice, recipient="no-such-recipient").status_code == 404
    assert start(alice, recipient="").status_code == 404
    assert the_job() is None


def test_without_a_login_no_pack_route_answers(signers, client):
    assert start(client).status_code == 302
    assert client.get(f"{BASE}/delivery-packs/1").status_code == 302
    assert client.get(f"{BASE}/delivery-packs/1/delivery.pdf").status_code == 302
    assert the_job() is None


def test_a_get_never_starts_a_build(signers, alice):
    assert alice.get(f"{BASE}/delivery-packs").status_code == 405
    assert the_job() is None


class TestWithCsrf:
    @pytest.fixture
    def app_overrides(self, tmp_path):
        return {"DELIVERY_PACK_DIR": tmp_path / "packs", "WTF_CSRF_ENABLED": True}

    def test_starting_a_build_needs_the_forms_csrf_token(self, signers, client):
        page = client.get("/organizer/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post(
            "/organizer/login",
            data={"email": ALICE, "password": "correct horse battery staple", "csrf_token": token},
        )
        assert start(client).status_code == 400
        assert the_job() is None

        dashboard = client.get(f"{BASE}/").get_data(as_text=True)
        form = dashboard[dashboard.index('id="delivery-packs"') :]
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        response = client.post(
            f"{BASE}/delivery-packs", data={"recipient": "unhcr", "csrf_token": token}
        )
        assert response.status_code == 303
        assert the_job().status == "ready"


def withdraw_signer(name: str) -> None:
    db.session.rollback()
    signature = db.session.scalar(select(Signature).where(Signature.name == name))
    with transaction(db.session):
        withdraw(db.session(), signature)


def test_a_pack_naming_a_signer_who_withdraws_is_no_longer_offered_and_is_deleted(
    signers, alice
):
    start(alice)
    job = the_job()
    path = pack_jobs.pack_path(alice.application.config["DELIVERY_PACK_DIR"], job)

    withdraw_signer("Jane Smith")

    assert alice.get(f"{BASE}/delivery-packs/{job.id}/delivery.pdf").status_code == 404
    assert alice.get(f"{BASE}/delivery.pdf?recipient=unhcr").status_code == 302
    jobs_for(alice.application).run_periodic("delivery-pack-cleanup")
    assert not path.exists()
    start(alice)
    db.session.rollback()  # a new read, to see the new build
    rebuilt = db.session.scalars(select(DeliveryPackJob).order_by(DeliveryPackJob.id)).all()[-1]
    text = pdf_text(alice.get(f"{BASE}/delivery-packs/{rebuilt.id}/delivery.pdf").get_data())
    assert "김철수" in text and "Jane Smith" not in text


def test_a_signer_who_was_not_named_in_the_delivery_withdraws_and_the_pack_stays(signers, alice):
    start(alice)
    job = the_job()

    withdraw_signer("Hidden Signer")

    assert alice.get(f"{BASE}/delivery-packs/{job.id}/delivery.pdf").status_code == 200


def test_a_pack_for_another_recipient_stays_when_a_named_signer_withdraws(organizers, alice):
    add_signature(name="Jane Smith", country="GB", recipient_key="unhcr")
    add_signature(name="Minho Park", country="KR", recipient_key="cn-embassy-kr")
    start(alice, recipient="cn-embassy-kr")
    job = the_job()

    withdraw_signer("Jane Smith")

    assert alice.get(f"{BASE}/delivery-packs/{job.id}/delivery.pdf").status_code == 200


def test_a_pack_being_built_when_a_named_signer_withdraws_ends_expired(
    signers, alice, monkeypatch
):
    # The build has read the names; the signer leaves before it finishes.
    monkeypatch.setattr(jobs_for(alice.application), "enqueue_pack", lambda job_id: False)
    start(alice)
    job = the_job()
    jane = db.session.scalar(select(Signature.id).where(Signature.name == "Jane Smith"))
    build_delivery_pack = pack_jobs.build_delivery_pack

    def build_then_jane_withdraws(*args, **kwargs):
        build_delivery_pack(*args, **kwargs)
        with Session(db.engine) as other, transaction(other):
            withdraw(other, other.get_one(Signature, jane))

    monkeypatch.setattr(pack_jobs, "build_delivery_pack", build_then_jane_withdraws)
    config = alice.application.config

    status = pack_jobs.build_pack(
        db.session(),
        job.id,
        folder=config["DELIVERY_PACK_DIR"],
        templates_dir=config["LETTER_TEMPLATES_DIR"],
        keep_hours=24,
    )

    assert status == "ready"
    assert alice.get(f"{BASE}/delivery-packs/{job.id}/delivery.pdf").status_code == 404
    assert "expired and deleted" in alice.get(f"{BASE}/").get_data(as_text=True)


def test_a_pack_waiting_in_the_queue_when_a_named_signer_withdraws_is_built_without_them(
    signers, alice, monkeypatch
):
    monkeypatch.setattr(jobs_for(alice.application), "enqueue_pack", lambda job_id: False)
    start(alice)
    job = the_job()
    withdraw_signer("Jane Smith")
    config = alice.application.config

    pack_jobs.build_pack(
        db.session(),
        job.id,
        folder=config["DELIVERY_PACK_DIR"],
        templates_dir=config["LETTER_TEMPLATES_DIR"],
        keep_hours=24,
    )

    download = alice.get(f"{BASE}/delivery-packs/{job.id}/delivery.pdf")
    assert download.status_code == 200
    text = pdf_text(download.get_data())
    assert "김철수" in text and "Jane Smith" not in text
