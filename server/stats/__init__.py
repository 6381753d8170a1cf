"""Consent statistics for the site owner: counts per site, day (UTC) and language, never per visitor."""
