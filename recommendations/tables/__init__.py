"""django-tables2 tables: columns, sorting and cell rendering for the service's lists."""
