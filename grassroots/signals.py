"""Signals the registers send so that other apps (reports) can keep derived figures current.

`figures_changed` is sent inside the writing transaction with
`grassroots_ids` (CĐCS whose events changed) and `since` (earliest day affected).
Receivers must do their work in the same transaction, so a rolled-back write leaves no trace.
"""

from django.dispatch import Signal

figures_changed = Signal()
