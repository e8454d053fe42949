"""Rewards that feel real: a picture uploaded in admin and served safely, delivery details asked
when the reward is posted (with clear errors, nothing stored until they are right), and the
fulfilment status (requested, approved, sent, delivered, cancelled) on the clinician's side."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incentives.models import LedgerEntry, Redemption, RedemptionStatus, Reward
from incentives.services import ledger_adjust, redemption_decide
from tests.core.test_images import image_bytes
from tests.factories import UserFactory, VerifiedClinicianFactory
from tests.incentives.factories import RewardFactory

pytestmark = pytest.mark.django_db


def funded(points: int):
    clinician = VerifiedClinicianFactory()
    ledger_adjust(clinician=clinician, amount=points, reason="Opening balance", actor=UserFactory(is_staff=True))
    return clinician


def test_an_admin_uploads_a_picture_that_clinicians_see_with_its_description(client, admin_user):
    client.force_login(admin_user)
    data = {"name": "Stethoscope", "description": "A good one.", "cost": 120, "stock": 3, "is_active": "on"}
    photo = SimpleUploadedFile("steth.jpg", image_bytes("JPEG"), content_type="image/jpeg")
    refused = client.post(reverse("admin:incentives_reward_add"), {**data, "image": photo})
    assert "Describe the picture (alt text)" in refused.content.decode() and not Reward.objects.exists()
    fake = SimpleUploadedFile("steth.jpg", b"<svg onload=alert(1)>", content_type="image/jpeg")
    refused = client.post(reverse("admin:incentives_reward_add"), {**data, "image": fake, "image_alt": "x"})
    assert "not a readable PNG, JPEG or WebP image" in refused.content.decode() and not Reward.objects.exists()
    photo.seek(0)
    saved = client.post(
        reverse("admin:incentives_reward_add"), {**data, "image": photo, "image_alt": "A grey stethoscope"}
    )
    assert saved.status_code == 302
    reward = Reward.objects.get()
    assert reward.image.name.startswith("rewards/") and reward.image.name.endswith(".jpg")

    clinician = funded(20)
    client.force_login(clinician.user)
    page = client.get(reverse("incentives:reward_list")).content.decode()
    assert f'<img src="{reverse("incentives:reward_image", args=[reward.pk])}" alt="A grey stethoscope"' in page
    assert f'data-testid="need-{reward.pk}">You need <strong>100</strong> more points.' in page
    image = client.get(reverse("incentives:reward_image", args=[reward.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert image["X-Content-Type-Options"] == "nosniff" and b"".join(image.streaming_content)[:2] == b"\xff\xd8"
    client.logout()
    assert client.get(reverse("incentives:reward_image", args=[reward.pk])).status_code == 302


def test_a_posted_reward_asks_where_to_send_it_and_stores_nothing_until_the_address_is_right(client):
    clinician = funded(200)
    reward = RewardFactory(name="Conference tote", cost=50, needs_delivery_address=True)
    client.force_login(clinician.user)
    url = reverse("incentives:reward_redeem", args=[reward.pk])
    confirm = client.get(url).content.decode()
    assert "Where should we send it?" in confirm and 'autocomplete="street-address"' in confirm

    blank = client.post(url, {"delivery_name": "", "delivery_address": ""})
    assert blank.status_code == 400
    page = blank.content.decode()
    assert "Give the name to send it to." in page and "Give the address to send it to." in page
    assert 'aria-describedby="id_delivery_name_errors"' in page
    one_line = client.post(url, {"delivery_name": "Dr Ada", "delivery_address": "12 Elm St"})
    assert "at least two lines" in one_line.content.decode()
    assert not Redemption.objects.exists() and LedgerEntry.objects.filter(clinician=clinician).count() == 1

    address = "12 Elm Street\n  \nSpringfield, IL 62701\n"
    done = client.post(url, {"delivery_name": " Dr Ada Lovelace ", "delivery_address": address}, follow=True)
    redemption = Redemption.objects.get()
    assert (redemption.delivery_name, redemption.delivery_address) == (
        "Dr Ada Lovelace",
        "12 Elm Street\nSpringfield, IL 62701",
    )
    assert "To Dr Ada Lovelace" in done.content.decode()


def test_a_reward_without_delivery_stores_no_address_even_if_sent_one(client):
    clinician = funded(200)
    reward = RewardFactory(cost=50)
    client.force_login(clinician.user)
    confirm = client.get(reverse("incentives:reward_redeem", args=[reward.pk])).content.decode()
    assert "Where should we send it?" not in confirm
    client.post(reverse("incentives:reward_redeem", args=[reward.pk]), {"delivery_address": "Somewhere\nElse"})
    assert Redemption.objects.get().delivery_address == ""


def test_the_clinician_follows_the_fulfilment_status(client, rewards_manager_user):
    clinician = funded(200)
    reward = RewardFactory(cost=50, needs_delivery_address=True)
    client.force_login(clinician.user)
    client.post(
        reverse("incentives:reward_redeem", args=[reward.pk]),
        {"delivery_name": "Dr Ada", "delivery_address": "1 Main St\nSpringfield"},
    )
    redemption = Redemption.objects.get()

    def status_shown() -> str:
        page = client.get(reverse("incentives:reward_list")).content.decode()
        marker = f'data-testid="redemption-status-{redemption.pk}">'
        return page.split(marker, 1)[1].split("<", 1)[0]

    assert status_shown() == "Requested"
    for status, label in (
        (RedemptionStatus.APPROVED, "Approved"),
        (RedemptionStatus.SENT, "Sent"),
        (RedemptionStatus.FULFILLED, "Delivered"),
    ):
        redemption_decide(redemption=redemption, status=status, actor=rewards_manager_user)
        assert status_shown() == label
    with pytest.raises(Exception, match="cannot become cancelled"):
        redemption_decide(redemption=redemption, status=RedemptionStatus.CANCELLED, actor=rewards_manager_user)


def test_a_sent_reward_cannot_be_cancelled_but_can_be_delivered(rewards_manager_user):
    redemption = Redemption.objects.create(
        reward=RewardFactory(cost=10), clinician=funded(50), cost=10, status=RedemptionStatus.SENT
    )
    with pytest.raises(Exception, match="A sent redemption cannot become cancelled"):
        redemption_decide(redemption=redemption, status=RedemptionStatus.CANCELLED, actor=rewards_manager_user)
    redemption_decide(redemption=redemption, status=RedemptionStatus.FULFILLED, actor=rewards_manager_user)


def test_a_reward_without_a_picture_has_no_image_url(client):
    reward = RewardFactory()
    client.force_login(funded(10).user)
    assert client.get(reverse("incentives:reward_image", args=[reward.pk])).status_code == 404
    reward.image.save("x.jpg", ContentFile(image_bytes("JPEG")), save=True)
    assert client.get(reverse("incentives:reward_image", args=[reward.pk])).status_code == 200
