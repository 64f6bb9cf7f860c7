"""A choice filter whose options are read in one fetch.

Django reads a ModelChoiceField's options with QuerySet.iterator(), which on PostgreSQL is a
server-side cursor: three round trips (declare, fetch, close) for a list of a few dozen
units, inspections or owners, and the plan's filters have five such lists. Here each list is
one ordinary query, kept on the field's queryset for any later reading of its choices.
"""

import django_filters
from django_filters.fields import ModelChoiceField, ModelChoiceIterator


class FetchedChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class FetchedChoiceField(ModelChoiceField):
    iterator = FetchedChoiceIterator


class FetchedChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = FetchedChoiceField
