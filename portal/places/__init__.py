"""Places (regions and cities) named in the four languages: reference data that records
keep as free text (an agency's region and city, where the Memorandum was signed)."""
