"""The organizer's campaign loop around alerts: the reply inbox (`inbox`), alert templates and
test sends (`drafts`), the organization's time zone (`schedule`), and a moderator's "mask
more" (`masking`)."""
