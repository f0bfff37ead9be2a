"""The directory's pages, one module per subject: accounts, countries, agencies, users."""
