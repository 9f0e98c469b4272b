"""The reps app's pages: staff screens in `staff_*` modules, a rep's own pages in `own`."""
