from disrupt.access.choices import HandlingCode

# Codes whose records may be named in an e-mail; above these the e-mail only says that
# something arrived and links to it.
EMAIL_NAMEABLE_CODES = frozenset({HandlingCode.CLEAR, HandlingCode.GREEN})
