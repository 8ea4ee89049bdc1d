import io

from app.outbox.mailers import ConsoleMailer, SMTPMailer, mailer_for


def test_the_console_mailer_prints_the_mail_readably():
    stream = io.StringIO()
    ConsoleMailer({"MAIL_SENDER": "p@localhost"}, stream=stream).send(
        "김@example.org", "제목", "안녕하세요\nhttp://127.0.0.1:5000/s/abc/confirm"
    )
    printed = stream.getvalue()
    assert "To: 김@example.org" in printed
    assert "Subject: 제목" in printed
    assert "안녕하세요\nhttp://127.0.0.1:5000/s/abc/confirm" in printed


def test_the_mail_backend_is_chosen_by_config():
    config = {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "h", "MAIL_PORT": 25, "MAIL_SENDER": "s"}
    assert isinstance(mailer_for(config), SMTPMailer)
    assert isinstance(mailer_for({**config, "MAIL_BACKEND": "console"}), ConsoleMailer)
