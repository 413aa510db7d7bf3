"""Every write of consultations: plans, preparing and holding consultations,
speeches, outcomes and the sweeps."""
