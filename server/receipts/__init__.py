"""Consent receipts (proof of consent): the record, its validation and its stores."""

from .receipt import Receipt
from .store import ReceiptStore, StoreUnavailable, store_for

__all__ = ["Receipt", "ReceiptStore", "StoreUnavailable", "store_for"]
