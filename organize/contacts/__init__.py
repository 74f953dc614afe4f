"""Contacts in the console: CSV import (`importing`), the masked list, tags, counts and saved
audiences (`roster`). A number is never shown or exported: only `privacy.mask` leaves here."""
