"""Signals the registers send so that other apps (reports) can keep derived figures current.

`figures_changed` is sent inside the writing transaction with
`grassroots_ids` (CĐCS whose events changed) and `since` (earliest day affected).
Receivers must do their work in the same transaction, so a rolled-back write leaves no trace.
"""

from django.dispatch import Signal

figures_changed = Signal()

# Sent (besides `figures_changed`) when the affiliations of `grassroots_ids` changed from
# `since` on (a CĐCS moved, its founding day changed, a restructuring applied or undone;
# `unit_ids`: units to refresh besides those the CĐCS belong to from `since` on): the records
# counted per unit on their day (activities.stats) are attributed again.
affiliations_changed = Signal()
