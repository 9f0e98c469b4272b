"""Expense screens: a rep's own claims (`own`), and the staff and finance screens beside them."""
