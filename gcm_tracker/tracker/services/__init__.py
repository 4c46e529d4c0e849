"""Writes. Each use case is one keyword-only function that checks who may do it, runs in one
transaction and writes its history in that same transaction (style guide points 2 and 10).

status: recommendation_set_status; actions: the follow-up action workflow; accounts: contributor
accounts and account requests; counts: the summary counts checked against a fresh COUNT and
repaired (manage.py repair_counts); tokens: API tokens; assessments: country assessments in the
official voice and the scope of recommendations; assessment_submissions: civil-society
assessments in review; assessment_counts: their roll-ups.
"""

from .accounts import (
    account_request_approve,
    account_request_decline,
    contributor_create,
    require_account_request_reviewer,
)
from .actions import (
    ActionConflict,
    ActionContent,
    ActionStateError,
    follow_up_action_create,
    follow_up_action_publish,
    follow_up_action_return,
    follow_up_action_submit,
    follow_up_action_update,
    follow_up_action_withdraw,
    published_action_counts_add,
    require_member,
)
from .assessment_counts import assessment_counts_rebuild
from .assessment_submissions import (
    assessment_submission_create,
    assessment_submission_publish,
    assessment_submission_return,
    assessment_submission_submit,
    assessment_submission_update,
    assessment_submission_withdraw,
)
from .assessments import (
    AssessmentConflict,
    AssessmentStateError,
    ImportResult,
    assessment_record_official,
    official_assessments_import,
    recommendation_set_scope,
)
from .counts import CountDrift, summary_count_drift, summary_counts_repair
from .status import StatusConflict, recommendation_set_status
from .tokens import api_token_create, api_token_of, api_token_revoke

__all__ = [
    "ActionConflict",
    "ActionContent",
    "ActionStateError",
    "AssessmentConflict",
    "AssessmentStateError",
    "CountDrift",
    "ImportResult",
    "StatusConflict",
    "account_request_approve",
    "account_request_decline",
    "api_token_create",
    "api_token_of",
    "api_token_revoke",
    "assessment_counts_rebuild",
    "assessment_record_official",
    "assessment_submission_create",
    "assessment_submission_publish",
    "assessment_submission_return",
    "assessment_submission_submit",
    "assessment_submission_update",
    "assessment_submission_withdraw",
    "contributor_create",
    "follow_up_action_create",
    "follow_up_action_publish",
    "follow_up_action_return",
    "follow_up_action_submit",
    "follow_up_action_update",
    "follow_up_action_withdraw",
    "official_assessments_import",
    "published_action_counts_add",
    "recommendation_set_scope",
    "recommendation_set_status",
    "require_account_request_reviewer",
    "require_member",
    "summary_count_drift",
    "summary_counts_repair",
]
