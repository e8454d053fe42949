"""A learner's own data: completions and attempts are in "My data"; deleting the account keeps
the completions for the totals but switches their public verification off."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from advocacy_portal.services import account_delete, my_data_export
from learning import services
from learning.models import Completion
from tests.factories import VerifiedClinicianFactory
from tests.learning.factories import ModuleFactory, answers

pytestmark = pytest.mark.django_db


def test_my_data_holds_the_learning_record_and_deletion_ends_public_verification(client):
    clinician = VerifiedClinicianFactory()
    module = ModuleFactory(title="Handling harassment and trolling")
    services.quiz_submit(clinician=clinician, module=module, answers=answers(module))
    completion = services.completion_set_public(completion=Completion.objects.get(), is_public=True)
    archive = zipfile.ZipFile(io.BytesIO(my_data_export(user=clinician.user)))
    [row] = json.loads(archive.read("learning_completions.json"))
    assert row["module__title"] == "Handling harassment and trolling" and row["module_version"] == 1
    assert len(json.loads(archive.read("learning_attempts.json"))) == 1
    account_delete(user=clinician.user)
    completion.refresh_from_db()
    assert not completion.is_public
    assert client.get(reverse("learning:certificate_verify", args=[completion.public_id])).status_code == 404
