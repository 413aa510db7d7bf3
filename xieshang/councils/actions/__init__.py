"""Every write in the councils app, one module per area."""
