"""Scotland's 31 integration authorities: 30 Integration Joint Boards and Highland's lead agency.

Public fact, loaded by a data migration so that every installation starts with them.
"""

from django.utils.text import slugify

# (board name, partnership name, health board, council or councils)
INTEGRATION_AUTHORITIES = [
    (
        "Aberdeen City IJB",
        "Aberdeen City Health and Social Care Partnership",
        "NHS Grampian",
        "Aberdeen City Council",
    ),
    (
        "Aberdeenshire IJB",
        "Aberdeenshire Health and Social Care Partnership",
        "NHS Grampian",
        "Aberdeenshire Council",
    ),
    ("Angus IJB", "Angus Health and Social Care Partnership", "NHS Tayside", "Angus Council"),
    (
        "Argyll and Bute IJB",
        "Argyll and Bute Health and Social Care Partnership",
        "NHS Highland",
        "Argyll and Bute Council",
    ),
    (
        "Clackmannanshire and Stirling IJB",
        "Clackmannanshire and Stirling Health and Social Care Partnership",
        "NHS Forth Valley",
        "Clackmannanshire Council; Stirling Council",
    ),
    (
        "Dumfries and Galloway IJB",
        "Dumfries and Galloway Health and Social Care Partnership",
        "NHS Dumfries and Galloway",
        "Dumfries and Galloway Council",
    ),
    (
        "Dundee City IJB",
        "Dundee Health and Social Care Partnership",
        "NHS Tayside",
        "Dundee City Council",
    ),
    (
        "East Ayrshire IJB",
        "East Ayrshire Health and Social Care Partnership",
        "NHS Ayrshire and Arran",
        "East Ayrshire Council",
    ),
    (
        "East Dunbartonshire IJB",
        "East Dunbartonshire Health and Social Care Partnership",
        "NHS Greater Glasgow and Clyde",
        "East Dunbartonshire Council",
    ),
    (
        "East Lothian IJB",
        "East Lothian Health and Social Care Partnership",
        "NHS Lothian",
        "East Lothian Council",
    ),
    (
        "East Renfrewshire IJB",
        "East Renfrewshire Health and Social Care Partnership",
        "NHS Greater Glasgow and Clyde",
        "East Renfrewshire Council",
    ),
    (
        "Edinburgh IJB",
        "Edinburgh Health and Social Care Partnership",
        "NHS Lothian",
        "City of Edinburgh Council",
    ),
    (
        "Falkirk IJB",
        "Falkirk Health and Social Care Partnership",
        "NHS Forth Valley",
        "Falkirk Council",
    ),
    ("Fife IJB", "Fife Health and Social Care Partnership", "NHS Fife", "Fife Council"),
    (
        "Glasgow City IJB",
        "Glasgow City Health and Social Care Partnership",
        "NHS Greater Glasgow and Clyde",
        "Glasgow City Council",
    ),
    (
        "Highland (lead agency)",
        "Highland Health and Social Care Partnership",
        "NHS Highland",
        "The Highland Council",
    ),
    (
        "Inverclyde IJB",
        "Inverclyde Health and Social Care Partnership",
        "NHS Greater Glasgow and Clyde",
        "Inverclyde Council",
    ),
    (
        "Midlothian IJB",
        "Midlothian Health and Social Care Partnership",
        "NHS Lothian",
        "Midlothian Council",
    ),
    ("Moray IJB", "Health and Social Care Moray", "NHS Grampian", "The Moray Council"),
    (
        "North Ayrshire IJB",
        "North Ayrshire Health and Social Care Partnership",
        "NHS Ayrshire and Arran",
        "North Ayrshire Council",
    ),
    (
        "North Lanarkshire IJB",
        "North Lanarkshire Health and Social Care Partnership",
        "NHS Lanarkshire",
        "North Lanarkshire Council",
    ),
    ("Orkney IJB", "Orkney Health and Care", "NHS Orkney", "Orkney Islands Council"),
    (
        "Perth and Kinross IJB",
        "Perth and Kinross Health and Social Care Partnership",
        "NHS Tayside",
        "Perth and Kinross Council",
    ),
    (
        "Renfrewshire IJB",
        "Renfrewshire Health and Social Care Partnership",
        "NHS Greater Glasgow and Clyde",
        "Renfrewshire Council",
    ),
    (
        "Scottish Borders IJB",
        "Scottish Borders Health and Social Care Partnership",
        "NHS Borders",
        "Scottish Borders Council",
    ),
    (
        "Shetland IJB",
        "Shetland Health and Social Care Partnership",
        "NHS Shetland",
        "Shetland Islands Council",
    ),
    (
        "South Ayrshire IJB",
        "South Ayrshire Health and Social Care Partnership",
        "NHS Ayrshire and Arran",
        "South Ayrshire Council",
    ),
    (
        "South Lanarkshire IJB",
        "South Lanarkshire Health and Social Care Partnership",
        "NHS Lanarkshire",
        "South Lanarkshire Council",
    ),
    (
        "West Dunbartonshire IJB",
        "West Dunbartonshire Health and Social Care Partnership",
        "NHS Greater Glasgow and Clyde",
        "West Dunbartonshire Council",
    ),
    (
        "West Lothian IJB",
        "West Lothian Health and Social Care Partnership",
        "NHS Lothian",
        "West Lothian Council",
    ),
    (
        "Western Isles IJB",
        "Western Isles Health and Social Care Partnership",
        "NHS Western Isles",
        "Comhairle nan Eilean Siar",
    ),
]


def ensure_integration_authorities(board_model) -> None:
    """Create any of the 31 boards that are missing (used by the migration and by tests)."""
    existing = set(board_model.objects.values_list("name", flat=True))
    board_model.objects.bulk_create(
        board_model(
            name=name,
            slug=slugify(name.replace("(lead agency)", "")),
            hscp_name=hscp,
            health_board=health_board,
            councils=councils,
        )
        for name, hscp, health_board, councils in INTEGRATION_AUTHORITIES
        if name not in existing
    )
