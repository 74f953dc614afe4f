"""Help near you: pick a state, get worker centers, legal aid and co-ops there."""

from flask_babel import gettext as _

from organize import resources
from organize.plumbing.zipcodes import state_for_zip
from sms import state
from sms.turn import Turn


def start(turn: Turn) -> str:
    """NEAR / CERCA: regions that have resources, numbered."""
    regions = resources.regions()
    if not regions:
        state.end(phone_hash=turn.phone.hash)
        return _("We have no places listed yet. Reply MENU for options.")
    state.start(phone_hash=turn.phone.hash, flow="near", step="region", data={"regions": regions})
    lines = [f"{i} {region}" for i, region in enumerate(regions, start=1)]
    return _("Where are you? Reply with a number:") + "\n" + "\n".join(lines)


def handle(turn: Turn) -> str:
    """A number (or the state's letters, or a ZIP code) lists that region's resources."""
    conversation = turn.current
    regions: list[str] = conversation.data.get("regions", [])
    number, typed = turn.match.number, turn.match.folded.upper()
    if number is not None and 1 <= number <= len(regions):
        region = regions[number - 1]
    elif typed in regions or typed in resources.STATES:
        region = typed
    elif (from_zip := state_for_zip(typed)) is not None:
        region = from_zip
    else:
        return start(turn)
    state.end(phone_hash=turn.phone.hash)
    entries = []
    for place in resources.find(region=region):
        kind = _(resources.KIND_LABELS.get(place.kind, place.kind))
        line = f"{place.name} ({kind}) {place.phone_display()} {place.hours_in(turn.locale)}"
        entries.append(line.rstrip())
    if not entries:  # national agencies help in every state
        entries.append(_("National help, in every state:"))
        entries += [f"{p.name} {p.phone_display()}" for p in resources.national()]
    return "\n".join(entries) + "\n" + _("Reply MENU for options.")
