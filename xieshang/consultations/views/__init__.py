"""Consultation pages under /c/<council_slug>/consultations/."""
