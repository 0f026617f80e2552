"""Legal documents (public offer, personal data policy...) published in versions, and the
consents shoppers give to them: who or which order, email, when, from where, which version."""
