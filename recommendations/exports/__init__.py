"""Downloads of the plan in formats other tools read."""
