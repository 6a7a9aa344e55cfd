"""Business matching: buyers' requests routed to matching units, owners' answers, outcomes (issue 16)."""
