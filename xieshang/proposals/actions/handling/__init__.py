"""Handling a proposal (办理): assignment to handling units (交办), objections
and extensions (assignment), the units' notes while handling (notes), and
their replies up to the release to the proposers (replies).

The names are gathered here so that callers say handling.save_reply
wherever the area's module lives.
"""

from xieshang.proposals.actions.handling.assignment import (
    UnitRole,
    approve_extension,
    assign_in_batch,
    assign_proposal,
    object_to_assignment,
    reassign_proposal,
)
from xieshang.proposals.actions.handling.notes import record_handling_note
from xieshang.proposals.actions.handling.replies import (
    ReplyContent,
    release_reply,
    return_reply,
    save_reply,
)

__all__ = [
    "ReplyContent",
    "UnitRole",
    "approve_extension",
    "assign_in_batch",
    "assign_proposal",
    "object_to_assignment",
    "reassign_proposal",
    "record_handling_note",
    "release_reply",
    "return_reply",
    "save_reply",
]
