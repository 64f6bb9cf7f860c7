"""The action plan as a region keeps it in a spreadsheet: template, export and import.

``columns`` names the columns and reads their cells (UK and ISO dates, the labels the
service shows); ``files`` reads and writes CSV and XLSX; ``export`` writes a plan in the
template's columns; ``rows`` checks each row of an upload; ``applying`` makes the changes
through the domain services, all rows or none.
"""
