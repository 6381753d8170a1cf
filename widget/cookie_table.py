"""The cookie table of one category: every storage row, built with text only."""

from .elements import element, fill

COLUMNS = (("col_name", "name"), ("col_party", "party_text"), ("col_purpose", "purpose"),
           ("col_duration", "duration_text"), ("col_provider", None))


def provider_text(row: dict) -> str:
    """Return "Service (Provider)", the service alone, or the site's own name for first-party rows."""
    if row["service_name"] and row["provider"]:
        return row["service_name"] + " (" + row["provider"] + ")"
    return row["service_name"] or row["provider"] or "—"


def build_cookie_table(document: dict, category: dict):
    """Return the table of the category's storage rows, or a line saying there are none."""
    texts = document["texts"]
    rows = [row for row in document["storage"] if row["category"] == category["id"]]
    if not rows:
        return element("p", texts["no_storage"], classes="crumb-text crumb-muted")
    table = element("table", classes="crumb-table")
    table <= element("caption", fill(texts["storage_caption"], category=category["title"]))
    head = element("tr")
    for key, _ in COLUMNS:
        head <= element("th", texts[key], scope="col")
    thead = element("thead")
    thead <= head
    table <= thead
    body = element("tbody")
    for row in rows:
        line = element("tr")
        for key, field in COLUMNS:
            value = provider_text(row) if field is None else row[field]
            cell = element("td", value, data_label=texts[key], dir="auto")
            if field == "name":
                cell.attrs["class"] = "crumb-code"
            line <= cell
        body <= line
    table <= body
    return table
