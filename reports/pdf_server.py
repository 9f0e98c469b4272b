"""What the report-rendering server process loads before it forks a process for each report.

Importing this module warms WeasyPrint once (its fonts and default stylesheets) with a
document that fetches nothing, so each report's process starts with that done.
"""

import gc

from reports import pdf

pdf.warm()
# What is loaded now lasts the process's life: the collector need not look at it again.
gc.freeze()
