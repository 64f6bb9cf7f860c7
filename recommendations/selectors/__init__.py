"""Read queries for the service's pages, each a constant number of queries whatever the data size.

Scope (who may see what) comes from recommendations.scope; these modules only shape
what a page shows.
"""
