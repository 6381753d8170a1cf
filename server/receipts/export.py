"""Receipt export formats: CSV for spreadsheets, JSON Lines for programs; one row at a time."""

from __future__ import annotations

import csv
import json
from typing import TextIO

from .receipt import FIELDS, Receipt

FORMATS = ("csv", "jsonl")


class ReceiptWriter:
    """Writes receipts to a text stream in one format, without holding more than one."""

    def __init__(self, stream: TextIO, format: str):
        self.stream = stream
        self.format = format
        self._csv = csv.writer(stream, lineterminator="\n") if format == "csv" else None
        if self._csv is not None:
            self._csv.writerow(FIELDS)

    def write(self, receipt: Receipt) -> None:
        """Write one receipt as one line (CSV: ids in a list cell are separated by spaces)."""
        data = receipt.as_json()
        if self._csv is None:
            self.stream.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
            return
        data["categories"] = " ".join(data["categories"])
        data["services"] = " ".join(data["services"])
        self._csv.writerow([data[name] for name in FIELDS])
