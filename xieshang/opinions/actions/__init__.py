"""Every write to opinion reports, one function per business verb."""
