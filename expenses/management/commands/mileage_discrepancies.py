"""List each rep and tax year whose approved and paid mileage is not what the rates allow.

Years paid before amounts were settled on approval may have paid miles at the wrong rate. They are
not rewritten: finance settles each one by hand, from this list.
"""

from django.core.management.base import BaseCommand

from expenses.calculations import format_money
from expenses.payees import payee_reference
from expenses.settlement import mileage_discrepancies
from portal.core.periods import financial_year_label


class Command(BaseCommand):
    help = (
        "List each rep and tax year whose approved and paid mileage differs by more than a penny "
        "from HMRC's rates as the board's policy sets them, with the difference."
    )

    def handle(self, *args, **options):
        found = mileage_discrepancies()
        if not found:
            self.stdout.write("Every rep's approved and paid mileage matches the rates.")
            return
        self.stdout.write("board\trep\tpayee reference\ttax year\tmiles\tpaid\tdue\tdifference")
        for each in found:
            sign = "overpaid" if each.difference > 0 else "underpaid"
            self.stdout.write(
                "\t".join(
                    [
                        each.rep.board.name,
                        each.rep.full_name,
                        payee_reference(each.rep),
                        financial_year_label(each.tax_year),
                        f"{each.miles.normalize():f}",
                        format_money(each.paid),
                        format_money(each.due),
                        f"{format_money(abs(each.difference))} {sign}",
                    ]
                )
            )
        self.stdout.write(f"{len(found)} rep tax year{'s' if len(found) != 1 else ''} to settle.")
