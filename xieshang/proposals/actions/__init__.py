"""Every write to proposals, one function per business verb, by area."""
