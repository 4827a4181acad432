"""The column order of members' COPY lines: `members.bulk.MemberBatch` writes its rows in it,
and the benchmarks COPY the same rows (the import floor, the dashboard data builder).

Plain constants, no Django: the import floor imports them and stays a program without Django.
If a model gains a field, `members.bulk.columns_as_expected()` turns the fast path off and the
generic TableWriter takes over.
"""

MEMBER_COLUMNS = (
    "id",
    "full_name",
    "gender",
    "birth_date",
    "cccd",
    "phone",
    "occupation",
    "card_number",
    "grassroots_id",
    "joined_on",
    "left_on",
    "leave_reason",
    "leave_note",
    "search_text",
    "version",
    "created_at",
    "updated_at",
)
PLACEMENT_COLUMNS = (
    "member_id",
    "grassroots_id",
    "start_on",
    "start_kind",
    "end_on",
    "end_kind",
    "created_by_id",
    "created_at",
)
HISTORY_COLUMNS = (
    "id",
    "full_name",
    "gender",
    "birth_date",
    "cccd",
    "phone",
    "occupation",
    "card_number",
    "joined_on",
    "left_on",
    "leave_reason",
    "leave_note",
    "version",
    "created_at",
    "grassroots_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user_id",
)
