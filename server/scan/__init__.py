"""The scanner (README, "Scanning your site"): a live website in headless Chromium, before any
decision, after reject all and after accept all, compared with the site's policy."""
