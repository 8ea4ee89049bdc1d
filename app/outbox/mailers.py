"""Where mail goes: an SMTP server, or the console during development."""

import smtplib
import sys
from email.message import EmailMessage
from email.utils import make_msgid


class SMTPMailer:
    def __init__(self, config):
        self.server = config["MAIL_SERVER"]
        self.port = config["MAIL_PORT"]
        self.username = config.get("MAIL_USERNAME")
        self.password = config.get("MAIL_PASSWORD")
        self.use_tls = config.get("MAIL_USE_TLS", False)
        self.timeout = config.get("MAIL_TIMEOUT", 10)
        self.sender = config["MAIL_SENDER"]

    def send(self, to_address: str, subject: str, body: str) -> None:
        message = build_message(self.sender, to_address, subject, body)
        with smtplib.SMTP(self.server, self.port, timeout=self.timeout) as smtp:
            if self.use_tls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


class ConsoleMailer:
    """Prints each message; the development default, so no mail server is needed."""

    def __init__(self, config, stream=None):
        self.sender = config["MAIL_SENDER"]
        self.stream = stream or sys.stdout

    def send(self, to_address: str, subject: str, body: str) -> None:
        self.stream.write(
            f"\n----- mail -----\nFrom: {self.sender}\nTo: {to_address}\nSubject: {subject}\n\n"
            f"{body}\n----- end of mail -----\n"
        )
        self.stream.flush()


def build_message(sender: str, to_address: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to_address
    message["Subject"] = subject
    message["Message-ID"] = make_msgid()
    message.set_content(body)
    return message


def mailer_for(config):
    backends = {"smtp": SMTPMailer, "console": ConsoleMailer}
    try:
        return backends[config["MAIL_BACKEND"]](config)
    except KeyError:
        raise RuntimeError(f"MAIL_BACKEND must be one of {', '.join(backends)}") from None
