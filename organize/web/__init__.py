"""The web channel: public pages, the organizer console, error pages."""
