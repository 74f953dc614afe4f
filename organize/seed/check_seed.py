"""Validate the seed content under organize/seed/.

Run from the repository root:

    python organize/seed/check_seed.py

Prints every problem found and exits non-zero if there is any. Spanish SMS
summaries that fall outside the GSM-7 alphabet are reported as notes only
(they still send, as UCS-2, in more segments).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import phonenumbers

SEED_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(SEED_DIR.parents[1]))  # run as a script from anywhere

from organize.employers import INDUSTRIES as EMPLOYER_INDUSTRIES  # noqa: E402
from organize.models.resources import RESOURCE_KINDS as MODEL_RESOURCE_KINDS  # noqa: E402
from organize.models.reviews import FLAG_FIELDS, RATING_FIELDS  # noqa: E402
from organize.outbound.segments import measure, plain_spelling  # noqa: E402
from organize.rights import CATEGORIES as RIGHTS_CATEGORIES  # noqa: E402
from organize.seed.check_notes import state_note_problems  # noqa: E402

CATEGORIES = set(RIGHTS_CATEGORIES)
INDUSTRIES = set(EMPLOYER_INDUSTRIES)
RESOURCE_KINDS = set(MODEL_RESOURCE_KINDS)
REVIEW_STATUSES = {"approved", "pending"}
LOCALES = ("en", "es")
RATINGS = RATING_FIELDS
REVIEW_FLAGS = FLAG_FIELDS

MIN_TOPICS = 18
SMS_MAX = 300
SMS_ADVICE, SMS_TAIL = 45, 45  # the appended lines' longest translations (es)
BODY_WORDS = (150, 450)  # room for dated caveats and state pointers
DISCLAIMER = {
    "en": "not legal advice",
    "es": "no es asesoría legal",
    "zh": "不是法律意见",
    "tl": "hindi payong legal",
    "ht": "se pa konsèy legal",
}
# Drafted without a native speaker: each carries `draft = true` until one reviews it, and a
# voice script for the phone line (Kreyòl is synthesized from it).
DRAFT_LOCALES = ("zh", "tl", "ht")

# GSM 03.38 basic character set plus the extension table (escape-prefixed).
GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = "^{}\\[~]|€\f"
GSM7 = frozenset(GSM7_BASIC + GSM7_EXTENSION)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REGION_RE = re.compile(r"^[A-Z]{2}$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")
# Fictional US numbers only: NXX-555-0100 .. 0199, in E.164.
FICTIONAL_PHONE_RE = re.compile(r"^\+1[2-9]\d{2}55501\d{2}$")
URL_RE = re.compile(r"^https://[^\s]+$")
HHMM_RE = re.compile(r"\d\d:\d\d")
# An agency's or a statute's own page: federal and state government sites.
OFFICIAL_URL_RE = re.compile(r"^https://([a-z0-9-]+\.)*(gov|[a-z]{2}\.us)(/|$)")
# Review texts must carry no personal data: no digits, e-mail or links.
REVIEW_TEXT_FORBIDDEN = re.compile(r"[0-9@]|https?:|www\.", re.IGNORECASE)


class Report:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.notes: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def note(self, where: str, message: str) -> None:
        self.notes.append(f"{where}: {message}")


def load(path: Path, report: Report) -> dict[str, Any] | None:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        report.problem(str(path.relative_to(SEED_DIR)), "file missing")
    except tomllib.TOMLDecodeError as exc:
        report.problem(str(path.relative_to(SEED_DIR)), f"invalid TOML: {exc}")
    return None


def require(table: dict[str, Any], keys: Mapping[str, type], where: str, report: Report) -> bool:
    ok = True
    for key, kind in keys.items():
        if key not in table:
            report.problem(where, f"missing key {key!r}")
            ok = False
        elif not isinstance(table[key], kind) or (kind is int and isinstance(table[key], bool)):
            report.problem(where, f"key {key!r} has the wrong type ({type(table[key]).__name__})")
            ok = False
    return ok


def non_gsm7(text: str) -> str:
    return "".join(sorted({ch for ch in text if ch not in GSM7}))


def fits_by_text(slug: str, locale: str, title: str, summary: str) -> bool:
    """Whether the SMS topic reply fits three segments: "title: summary", the short
    not-legal-advice line, a link on a 40-character site and "reply RIGHTS" (room for
    each line's longest translation)."""
    link = "https://" + "x" * 32 + f"/rights/{slug}?lang={locale}"
    reply = f"{title}: {summary}\n{'x' * SMS_ADVICE}\n{link}\n{'x' * SMS_TAIL}"
    return measure(plain_spelling(reply)).count <= 3


def check_rights(report: Report) -> None:
    files = sorted((SEED_DIR / "rights").glob("*.toml"))
    if (SEED_DIR / "rights_menu.toml").exists():  # the menu order (a copy may leave it out)
        listed = (load(SEED_DIR / "rights_menu.toml", report) or {}).get("order", [])
        if sorted(listed) != sorted(path.stem for path in files):
            report.problem("rights_menu.toml", "order must list every topic exactly once")
    if len(files) < MIN_TOPICS:
        report.problem("rights/", f"expected at least {MIN_TOPICS} topics, found {len(files)}")
    for path in files:
        where = f"rights/{path.name}"
        data = load(path, report)
        if data is None:
            continue
        top = {
            "slug": str,
            "category": str,
            "reviewed": dt.date,
            "reviewed_by": str,
            "sources": list,
        }
        if not require(data, top, where, report):
            continue
        if data["slug"] != path.stem or not SLUG_RE.match(data["slug"]):
            report.problem(where, f"slug {data['slug']!r} must be kebab-case and match file name")
        if data["category"] not in CATEGORIES:
            report.problem(where, f"category {data['category']!r} not in {sorted(CATEGORIES)}")
        if isinstance(data["reviewed"], dt.datetime):
            report.problem(where, "reviewed must be a date, not a date-time")
        if not data["reviewed_by"].strip():
            report.problem(where, "reviewed_by must name who reviewed it (a role or organization)")
        if not data["sources"]:
            report.problem(where, "sources is empty")
        elif not any(OFFICIAL_URL_RE.match(str(s.get("url", ""))) for s in data["sources"]
                     if isinstance(s, dict)):  # fmt: skip
            report.problem(where, "needs at least one official (.gov) source")
        for i, source in enumerate(data["sources"]):
            swhere = f"{where} sources[{i}]"
            if not isinstance(source, dict):
                report.problem(swhere, "must be a table with title and url")
                continue
            if require(source, {"title": str, "url": str}, swhere, report):
                if not URL_RE.match(source["url"]):
                    report.problem(swhere, f"url must be https: {source['url']!r}")
        for locale in LOCALES:
            lwhere = f"{where} [{locale}]"
            block = data.get(locale)
            if not isinstance(block, dict):
                report.problem(where, f"missing table [{locale}]")
                continue
            if not require(block, {"title": str, "summary": str, "body": str}, lwhere, report):
                continue
            summary = block["summary"].strip()
            if not summary:
                report.problem(lwhere, "summary is empty")
            if len(summary) > SMS_MAX:
                report.problem(lwhere, f"summary is {len(summary)} chars (max {SMS_MAX})")
            bad = non_gsm7(summary)
            if bad and locale == "en":
                report.problem(lwhere, f"summary has non-GSM-7 characters: {bad!r}")
            elif bad:
                report.note(lwhere, f"summary has non-GSM-7 characters: {bad!r}")
            if not fits_by_text(data["slug"], locale, block["title"], summary):
                report.problem(lwhere, "title, summary, advice line and link pass 3 SMS segments")
            if locale == "en" and not summary.isascii():
                report.problem(lwhere, "English summary must be plain ASCII")
            words = len(block["body"].split())
            if not BODY_WORDS[0] <= words <= BODY_WORDS[1]:
                report.problem(
                    lwhere, f"body has {words} words (want {BODY_WORDS[0]}-{BODY_WORDS[1]})"
                )
            if DISCLAIMER[locale] not in block["body"].lower():
                report.problem(lwhere, f"body lacks the disclaimer {DISCLAIMER[locale]!r}")
            if "](https://" not in block["body"]:
                report.problem(lwhere, "body should link to at least one official source")
        for locale in DRAFT_LOCALES:
            check_draft(data.get(locale), f"{where} [{locale}]", locale, report)
        for nwhere, message in state_note_problems(data, where, LOCALES, DRAFT_LOCALES):
            report.problem(nwhere, message)


def check_draft(block: Any, where: str, locale: str, report: Report) -> None:
    """A zh / tl / ht translation: complete, short enough to text, marked while a draft."""
    if not isinstance(block, dict):
        report.problem(where, "missing table")
        return
    keys = {"title": str, "summary": str, "body": str, "voice": str}
    if not require(block, keys, where, report):
        return
    if not isinstance(block.get("draft", False), bool):
        report.problem(where, "draft must be true or false")
    if not 0 < len(block["summary"].strip()) <= SMS_MAX:
        report.problem(where, f"summary must be 1-{SMS_MAX} chars")
    if DISCLAIMER[locale] not in block["body"]:
        report.problem(where, f"body lacks the disclaimer {DISCLAIMER[locale]!r}")
    if not block["voice"].strip():
        report.problem(where, "voice script is empty")


def check_employers(report: Report) -> set[str]:
    data = load(SEED_DIR / "employers.toml", report)
    names: set[str] = set()
    if data is None:
        return names
    employers = data.get("employer", [])
    if not 8 <= len(employers) <= 12:
        report.problem("employers.toml", f"expected 8-12 employers, found {len(employers)}")
    keys = {"name": str, "city": str, "region": str, "industry": str, "aliases": list}
    for i, emp in enumerate(employers):
        where = f"employers.toml employer[{i}]"
        if not require(emp, keys, where, report):
            continue
        if emp["name"] in names:
            report.problem(where, f"duplicate name {emp['name']!r}")
        names.add(emp["name"])
        if emp["industry"] not in INDUSTRIES:
            report.problem(where, f"industry {emp['industry']!r} not in {sorted(INDUSTRIES)}")
        if not REGION_RE.match(emp["region"]):
            report.problem(where, f"region {emp['region']!r} must be a 2-letter state code")
        if not all(isinstance(a, str) and a for a in emp["aliases"]):
            report.problem(where, "aliases must be non-empty strings")
    return names


def check_reviews(report: Report, employers: set[str]) -> None:
    data = load(SEED_DIR / "reviews.toml", report)
    if data is None:
        return
    reviews = data.get("review", [])
    if not 12 <= len(reviews) <= 20:
        report.problem("reviews.toml", f"expected 12-20 reviews, found {len(reviews)}")
    keys: dict[str, type] = {"employer": str, "locale": str, "text": str}
    keys |= {"status": str}
    keys |= dict.fromkeys(RATINGS, int)
    keys |= dict.fromkeys(REVIEW_FLAGS, bool)
    for i, rev in enumerate(reviews):
        where = f"reviews.toml review[{i}]"
        if not require(rev, keys, where, report):
            continue
        if rev["employer"] not in employers:
            report.problem(where, f"unknown employer {rev['employer']!r}")
        if rev["locale"] not in LOCALES:
            report.problem(where, f"locale {rev['locale']!r} not in {LOCALES}")
        for rating in RATINGS:
            if not 1 <= rev[rating] <= 5:
                report.problem(where, f"{rating}={rev[rating]} is outside 1-5")
        if rev["status"] not in REVIEW_STATUSES:
            report.problem(where, f"status {rev['status']!r} not in {sorted(REVIEW_STATUSES)}")
        if REVIEW_TEXT_FORBIDDEN.search(rev["text"]):
            report.problem(where, "text must not contain digits, e-mail addresses or links")
    counts: dict[str, int] = {}
    for rev in reviews:
        counts[rev.get("employer", "")] = counts.get(rev.get("employer", ""), 0) + 1
    if reviews and max(counts.values()) < 4:
        report.problem("reviews.toml", "at least one employer should have 4 or more reviews")
    if not any(rev.get("status") == "pending" for rev in reviews):
        report.problem("reviews.toml", "no pending review for the moderation queue")


def check_resources(report: Report) -> None:
    data = load(SEED_DIR / "resources.toml", report)
    if data is None:
        return
    resources = data.get("resource", [])
    if not 8 <= len(resources) <= 12:
        report.problem("resources.toml", f"expected 8-12 resources, found {len(resources)}")
    keys = {
        "name": str,
        "kind": str,
        "phone": str,
        "hours": str,
        "languages": list,
        "region": str,
        "description_en": str,
        "description_es": str,
    }
    for i, res in enumerate(resources):
        where = f"resources.toml resource[{i}]"
        if not require(res, keys, where, report):
            continue
        if res["kind"] not in RESOURCE_KINDS:
            report.problem(where, f"kind {res['kind']!r} not in {sorted(RESOURCE_KINDS)}")
        if not FICTIONAL_PHONE_RE.match(res["phone"]):
            report.problem(
                where, f"phone {res['phone']!r} is not a fictional 555-01xx E.164 number"
            )
        if not REGION_RE.match(res["region"]):
            report.problem(where, f"region {res['region']!r} must be a 2-letter state code")
        if not res["languages"] or not all(
            isinstance(code, str) and LANG_RE.match(code) for code in res["languages"]
        ):
            report.problem(where, "languages must be a non-empty list of language codes")
        for key in ("description_en", "description_es"):
            if "\n" in res[key].strip() or not res[key].strip():
                report.problem(where, f"{key} must be one non-empty line")
        texts = res.get("texts", {})
        for locale in DRAFT_LOCALES:
            block = texts.get(locale) if isinstance(texts, dict) else None
            if not isinstance(block, dict) or not all(
                isinstance(block.get(key), str) and block[key].strip()
                for key in ("description", "hours")
            ):
                report.problem(where, f"texts.{locale} needs a description and hours")


def check_national(report: Report) -> None:
    """Real agencies and hotlines: valid real numbers (never the fictional range), their own
    https page, descriptions in every language, hours as data."""
    data = load(SEED_DIR / "national.toml", report)
    if data is None:
        return
    rows = data.get("resource", [])
    if len(rows) < 6:
        report.problem("national.toml", f"expected at least 6 national entries, found {len(rows)}")
    keys: dict[str, type] = {"name": str, "kind": str, "phone": str, "region": str, "url": str}
    keys |= {"description_en": str, "description_es": str, "languages": list}
    for i, row in enumerate(rows):
        where = f"national.toml resource[{i}]"
        if not require(row, keys, where, report):
            continue
        if row["region"] != "national" or row["kind"] not in {"agency", "hotline"}:
            report.problem(where, "national entries are region 'national', kind agency or hotline")
        try:
            number = phonenumbers.parse(row["phone"], None)
            valid = phonenumbers.is_valid_number(number) and row["phone"].startswith("+")
        except phonenumbers.NumberParseException:
            valid = False
        if not valid or FICTIONAL_PHONE_RE.match(row["phone"]):
            report.problem(where, f"phone {row['phone']!r} must be a real number in E.164")
        if not URL_RE.match(row["url"]):
            report.problem(where, "url must be the organization's https page")
        for entry in row.get("schedule", []):
            always = entry.get("always") is True
            days = entry.get("days")
            if not always and not (
                isinstance(days, list)
                and len(days) == 2
                and all(isinstance(d, int) and 0 <= d <= 6 for d in days)
                and all(HHMM_RE.fullmatch(str(entry.get(k, ""))) for k in ("open", "close"))
                and entry.get("tz") in {"local", "ET"}
            ):
                report.problem(where, f"schedule entry {entry!r}: days [first, last], HH:MM, tz")
        texts = row.get("texts", {})
        for locale in DRAFT_LOCALES:
            block = texts.get(locale) if isinstance(texts, dict) else None
            if not isinstance(block, dict) or not str(block.get("description", "")).strip():
                report.problem(where, f"texts.{locale} needs a description")


def main() -> int:
    report = Report()
    check_rights(report)
    employers = check_employers(report)
    check_reviews(report, employers)
    check_resources(report)
    check_national(report)
    for line in report.notes:
        sys.stdout.write(f"note: {line}\n")
    for line in report.problems:
        sys.stderr.write(f"problem: {line}\n")
    if report.problems:
        sys.stderr.write(f"{len(report.problems)} problem(s) found\n")
        return 1
    sys.stdout.write("seed content OK\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
