"""FilterSets: the filters a user can apply to lists, with their vocabularies."""
