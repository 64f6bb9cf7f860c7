"""Reading a published HM Inspectorate of Probation report into the tracker.

``reading`` turns a PDF, HTML or text file into numbered lines; ``rules`` holds every parsing
rule (one function each); ``extraction`` applies the rules to give what the report says, each
field beside the line it came from; ``matching`` finds the units it names; ``loading`` writes
one report in one transaction.
"""
