"""Schema-driven fuzzing of the whole API (schemathesis) against a live server on 127.0.0.1.

Every operation of /api/v1/openapi.json gets a few generated requests, valid (positive) and
invalid (negative), with a
token that holds every scope (a clinician who is also a report reader): no answer may be a 500,
and every answer must use a documented status, content type and body schema. Bounded: a handful of
examples per operation, no shrinking, so it runs in the ordinary suite.
"""

import itertools

import pytest
import schemathesis
from django.contrib.auth.models import Group
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from advocacy_portal import roles
from api.models import Scope
from tests.api.factories import token_for
from tests.factories import ActivityFactory, CampaignFactory, ClinicianFactory, totp_enrol

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.fuzz]

EXAMPLES_PER_OPERATION = 4
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_it_answers_every_generated_request_as_the_schema_says(live_server, settings_override_rate):
    user = ClinicianFactory(user__email="fuzz@example.org").user
    user.groups.add(Group.objects.get(name=roles.REPORT_READER))
    totp_enrol(user)
    ActivityFactory.create_batch(3, clinician=user.clinician)
    CampaignFactory(slug="vaccines")
    headers = {"Authorization": f"Bearer {token_for(user, Scope.values)}"}
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18
    for operation, mode in itertools.product(operations, [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(base_url=f"{live_server.url}", headers=headers, checks=CHECKS)

        run()


@pytest.fixture
def settings_override_rate(settings):
    settings.API_TOKEN_RATE_LIMIT = 100_000
