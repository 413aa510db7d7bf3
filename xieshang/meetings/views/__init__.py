"""Meeting pages under /c/<council_slug>/meetings/."""
