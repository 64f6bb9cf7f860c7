"""Health and build information for probes, load balancers and monitoring."""
