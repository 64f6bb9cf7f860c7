"""How reminder emails leave the service: Django's email backend, or GOV.UK Notify when configured."""

import email

from django.core import mail

from reminders.senders import DjangoEmailSender, NotifySender, OutgoingEmail, get_sender


def test_notify_sender_sends_the_subject_and_plain_text_through_the_notify_client():
    class FakeNotifyClient:
        def __init__(self):
            self.calls = []

        def send_email_notification(self, **kwargs):
            self.calls.append(kwargs)
            return {"id": "740e5834-3a29-46b4-9a6f-16142fde533a"}

    client = FakeNotifyClient()
    sender = NotifySender(api_key="unused", template_id="template-uuid", client=client)

    outgoing = OutgoingEmail(to="a@justice.example", subject="S", text="T", html="<p>T</p>", reference="r1")
    reference = sender.send(outgoing)

    assert reference == "740e5834-3a29-46b4-9a6f-16142fde533a"
    assert client.calls == [
        {
            "email_address": "a@justice.example",
            "template_id": "template-uuid",
            "personalisation": {"subject": "S", "body": "T"},
            "reference": "r1",
        }
    ]


def test_notify_is_used_when_its_key_and_template_are_set(settings):

    assert isinstance(get_sender(), DjangoEmailSender)
    settings.NOTIFY_API_KEY = "test_key-00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000"
    settings.NOTIFY_TEMPLATE_ID = "template-uuid"
    assert isinstance(get_sender(), NotifySender)


def test_the_django_sender_sends_a_plain_text_and_html_email(db):

    reference = DjangoEmailSender().send(
        OutgoingEmail(to="a@justice.example", subject="S", text="plain", html="<p>rich</p>", reference="r1")
    )

    [sent] = mail.outbox
    parsed = email.message_from_bytes(sent.message().as_bytes())
    assert parsed["Message-ID"] == reference
    assert [part.get_content_type() for part in parsed.walk()][1:] == ["text/plain", "text/html"]
