"""Toolkit images: uploaded with alt text in the campaign admin, checked and re-encoded, shown on
the campaign page with their description and downloadable by whoever may see the campaign."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import ToolkitItem, ToolkitItemKind
from tests.campaigns.factories import ToolkitItemFactory
from tests.campaigns.test_admin import _campaign_change_data
from tests.core.test_images import image_bytes
from tests.factories import CampaignFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


def with_image(**kwargs) -> ToolkitItem:
    item = ToolkitItemFactory(image_alt="A nurse giving a flu shot", **kwargs)
    item.image.save("shot.jpg", ContentFile(image_bytes("JPEG")), save=True)
    return item


def test_the_admin_adds_an_image_with_its_description_to_a_toolkit_item(client, admin_user):
    campaign = CampaignFactory()
    client.force_login(admin_user)
    change = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    data = _campaign_change_data(client.get(change))
    item = {
        "toolkit_items-0-kind": ToolkitItemKind.SUGGESTED_POST,
        "toolkit_items-0-text": "Flu shots are free this week. #flufacts",
        "toolkit_items-0-position": 0,
        "toolkit_items-0-image": SimpleUploadedFile("a.png", image_bytes("PNG", mode="RGBA"), "image/png"),
    }
    refused = client.post(change, {**data, **item})
    assert "Describe the picture (alt text)" in refused.content.decode() and not ToolkitItem.objects.exists()
    item["toolkit_items-0-image"].seek(0)
    saved = client.post(change, {**data, **item, "toolkit_items-0-image_alt": "Flu shot poster"})
    assert saved.status_code == 302
    stored = ToolkitItem.objects.get()
    assert stored.image.name.startswith("toolkit/") and stored.image.name.endswith(".png")
    page = client.get(change).content.decode()
    assert re.search(r'<label[^>]*for="id_toolkit_items-0-image_alt"', page)


def test_a_member_sees_the_image_with_its_alt_text_and_downloads_it(client):
    item = with_image()
    participation = ParticipationFactory(campaign=item.campaign)
    client.force_login(participation.clinician.user)
    page = client.get(reverse("campaigns:campaign_detail", args=[item.campaign.slug])).content.decode()
    src = reverse("campaigns:toolkit_image", args=[item.campaign.slug, item.pk])
    assert f'<img src="{src}" alt="A nurse giving a flu shot"' in page
    assert f'href="{src}?download=1" download' in page
    inline = client.get(src)
    assert inline["Content-Type"] == "image/jpeg" and inline["X-Content-Type-Options"] == "nosniff"
    assert "attachment" not in inline.get("Content-Disposition", "")
    download = client.get(src, {"download": "1"})
    assert download["Content-Disposition"] == f'attachment; filename="{item.campaign.slug}-toolkit-{item.pk}.jpg"'


def test_only_those_who_may_see_the_campaign_get_its_images(client, staff_user):
    item = with_image()
    hidden = with_image(campaign=CampaignFactory(is_published=False))
    plain = ToolkitItemFactory(campaign=item.campaign)
    url = reverse("campaigns:toolkit_image", args=[item.campaign.slug, item.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(staff_user)
    assert client.get(url).status_code == 200
    for slug, pk in (
        (hidden.campaign.slug, hidden.pk),
        (item.campaign.slug, plain.pk),
        (hidden.campaign.slug, item.pk),
    ):
        assert client.get(reverse("campaigns:toolkit_image", args=[slug, pk])).status_code == 404
