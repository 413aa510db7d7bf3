"""Proposal pages, by who uses them: members, staff, handling units."""
