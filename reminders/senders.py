"""How a reminder email leaves the service: Django's email backend, or GOV.UK Notify.

Both sit behind one small interface, `send(email) -> reference`, chosen by settings:
with NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID set, GOV.UK Notify; otherwise Django's
EMAIL_BACKEND (console in development, SMTP in production). A sender raises on any
failure; the caller records the error and retries.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid


@dataclass(frozen=True)
class OutgoingEmail:
    to: str
    subject: str
    text: str
    html: str
    reference: str  # ours: lets a provider's records be matched to the digest


class DjangoEmailSender:
    def send(self, email: OutgoingEmail) -> str:
        message_id = make_msgid(domain=settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or None)
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to],
            headers={"Message-ID": message_id, "X-Tracker-Reference": email.reference},
        )
        message.attach_alternative(email.html, "text/html")
        message.send(fail_silently=False)
        return message_id


class NotifySender:
    """GOV.UK Notify: the template must be `((subject))` with the body `((body))`.

    Notify sends its own formatted email from the plain-text part, so the HTML part
    is not used here.
    """

    def __init__(self, *, api_key: str, template_id: str, client=None):
        if client is None:
            from notifications_python_client.notifications import NotificationsAPIClient

            client = NotificationsAPIClient(api_key)
        self.client = client
        self.template_id = template_id

    def send(self, email: OutgoingEmail) -> str:
        response = self.client.send_email_notification(
            email_address=email.to,
            template_id=self.template_id,
            personalisation={"subject": email.subject, "body": email.text},
            reference=email.reference,
        )
        return str(response.get("id", ""))


def get_sender():
    if settings.NOTIFY_API_KEY and settings.NOTIFY_TEMPLATE_ID:
        return NotifySender(api_key=settings.NOTIFY_API_KEY, template_id=settings.NOTIFY_TEMPLATE_ID)
    return DjangoEmailSender()
