"""Liaison pages under /c/<council_slug>/liaison/."""
