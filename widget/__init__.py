"""The consent widget: Python that Brython runs in the widget frame (README, "How it fits together").

Its pure modules (`view`, `choices`, `messages`, `consent_cookie`) import neither `browser` nor
`javascript`, so CPython runs them too: the server renders the same view, and site backends read
the consent cookie with the same rules.
"""
