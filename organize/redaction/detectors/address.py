"""Street addresses in the US form ("1234 W Main St Apt 5B") and the Mexican and Central
American form ("Calle Hidalgo 123, Col. Centro", "Av. Juárez No. 45 Int. 3").

A house number alone is never enough: a street type word must follow (US) or precede (MX),
so "worked 12 hours on Main" or "pagan 450 la semana" stay untouched. Cities, states and zip
codes are left in place: they locate the workplace, not the worker.
"""

from __future__ import annotations

import re

from organize.redaction.spans import Span

_US_TYPE = (
    r"(?:st|street|ave|av|avenue|rd|road|blvd|boulevard|dr|drive|ln|lane|way|ct|court|pl|place"
    r"|ter|terrace|pkwy|parkway|hwy|highway|cir|circle|sq|square|trl|trail|loop|pike|row|alley"
    r"|broadway)\b\.?"
)
# Words that may sit between a house number and the street type: names, ordinals, directions.
# Lower-case function words and units are excluded so counts and hours never qualify.
_NOT_STREET_WORD = (
    r"(?!(?:hours?|horas?|days?|d[ií]as|years?|a[nñ]os|weeks?|semanas?|dollars?|d[oó]lares"
    r"|pesos|people|workers?|trabajadores|personas|times?|veces|on|at|in|en|the|and|y|de"
    r"|la|el|of|a|to|for|por|para|con|with|my|mi)\b)"
)
_STREET_WORD = rf"{_NOT_STREET_WORD}(?:[NSEW]\.?|\d{{1,3}}(?:st|nd|rd|th)|[A-Za-zÀ-ÿ][\w'’.-]*+)"
_UNIT = (
    r"(?:,?\s*(?:apt|apartment|unit|suite|ste|rm|room|fl|floor|bldg|depto|dpto|departamento"
    r"|int|interior|no|n[uú]m|num)(?![a-z])\.?\s*#?\s*[A-Za-z0-9][\w-]{0,5}\b"
    r"|,?\s*#\s*[A-Za-z0-9][\w-]{0,5}\b)"
)
_US_ADDRESS = re.compile(
    rf"(?<![^\W\u3400-\u9fff]|[$.,/-])\d{{1,6}}[A-Za-z]?\s+(?:{_STREET_WORD}\s+){{0,3}}?{_US_TYPE}(?:{_UNIT})*",
    re.IGNORECASE,
)
_MX_TYPE = (
    r"(?:calle|c\.|av\.?|avenida|avda\.?|calz\.?|calzada|blvd\.?|bulevar|boulevard|privada"
    r"|priv\.|andador|callej[oó]n|carretera|camino|paseo|prolongaci[oó]n|prol\.|circuito"
    r"|cerrada|diagonal|colonia|col\.)"
)
# The street name: capitalized words (or "5 de Mayo"-style numbers), then the house number.
_MX_NAME = r"(?:(?:[A-ZÁÉÍÓÚÑ][\w'’.-]*+|de|del|la|las|los|y|\d{1,2}\s+de)\s*){1,5}?"
_COLONIA = (
    r"(?:,?\s*(?i:col\.|colonia|fracc\.|fraccionamiento|barrio)\s*(?:[A-ZÁÉÍÓÚÑ][\w.-]*+\s?){1,3})"
)
_MX_ADDRESS = re.compile(
    rf"(?<![\w])(?i:{_MX_TYPE})\s+{_MX_NAME}(?i:(?:no\.?|n[uú]m\.?|#)\s*)?\d{{1,5}}[A-Za-z]?\b"
    rf"(?:(?i:{_UNIT})|{_COLONIA})*"
)
# "6564 Calle Morelos": the house number first, then a Spanish street type and its name.
_NUMBER_FIRST_MX = re.compile(
    rf"(?<![\d$.,/-])\b\d{{1,6}}[A-Za-z]?\s+(?i:calle|avenida|av\.?|camino|paseo|privada)\s+"
    rf"(?:[A-ZÁÉÍÓÚÑ][\w'’.-]*+\s?){{1,3}}(?:(?i:{_UNIT})|{_COLONIA})*"
)


# Post-office boxes: "PO Box 3381", "P.O. Box 921", "Apartado Postal 45", "Casilla 12".
_PO_BOX = re.compile(
    r"(?<!\w)(?i:p\.?\s?o\.?\s*box|post\s+office\s+box|apartado(?:\s+postal)?|apdo\.?"
    r"|casilla(?:\s+postal)?|bo[iî]t\s+postal|kahon\s+ng\s+koreo)\s*#?\s*\d{1,6}\b"
)
# ZIP+4 pins a mailbox to a block or a building, unlike a five-digit ZIP (left: it locates
# the workplace as much as the worker).
_ZIP4 = re.compile(r"(?<![\d-])\d{5}-\d{4}(?![\d-])")
# Filipino forms: "Barangay San Isidro", "Brgy. Poblacion", "Purok 5", "Sitio Malinis".
_BARANGAY = re.compile(
    r"(?<!\w)(?i:barangay|brgy\.?|bgy\.?|purok|sitio)\s+(?:[A-Z0-9][\w.'-]*+\s?){1,3}"
)


def find_addresses(text: str) -> list[Span]:
    """Spans of street addresses, with any apartment, unit or colonia that follows."""
    spans = []
    for pattern in (
        _US_ADDRESS,
        _MX_ADDRESS,
        _NUMBER_FIRST_MX,
        _PO_BOX,
        _ZIP4,
        _BARANGAY,
    ):
        for match in pattern.finditer(text):
            end = match.end()
            while end > match.start() and text[end - 1] in ", ":
                end -= 1
            spans.append(Span(match.start(), end, "address"))
    return spans
