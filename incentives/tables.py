"""Table names for the raw SQL in incentives.pricing and incentives.scoring, read from the models'
``_meta`` so a renamed table (``Meta.db_table``) cannot silently break pricing or scoring."""

from campaigns.models import Activity, Campaign
from clinicians.models import Clinician
from incentives.models import ActivityTotal, Award, Badge, LedgerEntry, Score

ACTIVITY = Activity._meta.db_table
CAMPAIGN = Campaign._meta.db_table
CLINICIAN = Clinician._meta.db_table
ACTIVITY_TOTAL = ActivityTotal._meta.db_table
AWARD = Award._meta.db_table
BADGE = Badge._meta.db_table
LEDGER_ENTRY = LedgerEntry._meta.db_table
SCORE = Score._meta.db_table
