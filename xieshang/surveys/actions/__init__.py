"""Every write of the surveys app: building surveys (surveys, questions),
answering them (responses) and verifying the public by SMS (public)."""
