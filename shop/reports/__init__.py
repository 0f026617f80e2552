"""Sales reports for the back office: periods in the shop's days, paid revenue, the funnel."""
