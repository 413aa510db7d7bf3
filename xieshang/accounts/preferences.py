"""Per-user display preferences that also work before login."""

# Cookie that remembers elder mode on the login page and for anonymous visitors.
ELDER_COOKIE = "elder_mode"
