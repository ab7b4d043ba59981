#!/usr/bin/env python3
"""Reads an iCalendar file with Python's `icalendar` package (PyPI) and prints
what it finds, one JSON object a line: first the calendar, then each event.

Usage: python3 python_check.py FILE.ics

Times are printed as UTC instants resolved twice: as the package resolves
them (the IANA zone named by TZID) and through the file's own VTIMEZONE
(`to_tz(lookup_tzid=False)`, which builds the zone from its RRULEs), so a
wrong VTIMEZONE shows as a difference. Exits non-zero if the package reports
a parse error in any component.
"""

import datetime
import json
import re
import sys

import icalendar

UTC = datetime.timezone.utc


def unescape_text(raw):
    """RFC 5545 §3.3.11, in one pass."""
    return re.sub(
        r"\\([\\;,nN])",
        lambda m: "\n" if m.group(1) in "nN" else m.group(1),
        raw,
    )


def text(component, name):
    value = component.get(name)
    if value is None:
        return None
    if isinstance(value, icalendar.prop.vUnknown):
        # The package keeps unknown properties (X-WR-CALNAME, RFC 7986 NAME)
        # raw; their default value type is TEXT (RFC 5545 §3.8.8.2).
        return unescape_text(str(value))
    return str(value)


def instant(prop, own_zones):
    """(as resolved by the package, through the file's VTIMEZONE) in ISO 8601 UTC."""
    if prop is None:
        return None, None
    value = prop.dt
    if not isinstance(value, datetime.datetime) or value.tzinfo is None:
        # A date (all-day) or a floating time: no instant to compare.
        return value.isoformat(), None
    tzid = prop.params.get("TZID")
    own = value
    if tzid is not None:
        own = value.replace(tzinfo=own_zones[tzid])
    return (
        value.astimezone(UTC).isoformat(),
        own.astimezone(UTC).isoformat(),
    )


def main(path):
    with open(path, "rb") as f:
        calendar = icalendar.Calendar.from_ical(f.read())
    errors = [(c.name, e) for c in calendar.walk() for e in c.errors]
    if errors:
        raise SystemExit(f"parse errors: {errors}")

    own_zones = {
        str(tz["TZID"]): tz.to_tz(lookup_tzid=False)
        for tz in calendar.walk("VTIMEZONE")
    }
    print(
        json.dumps(
            {
                "calendar": text(calendar, "X-WR-CALNAME"),
                "timezones": sorted(own_zones),
                "icalendar": icalendar.__version__,
            },
            ensure_ascii=False,
        )
    )
    for event in calendar.walk("VEVENT"):
        start, start_own = instant(event.get("DTSTART"), own_zones)
        end, end_own = instant(event.get("DTEND"), own_zones)
        categories = event.get("CATEGORIES", [])
        if not isinstance(categories, list):
            categories = [categories]
        categories = [str(c) for prop in categories for c in prop.cats]
        print(
            json.dumps(
                {
                    "uid": text(event, "UID"),
                    "summary": text(event, "SUMMARY"),
                    "description": text(event, "DESCRIPTION"),
                    "location": text(event, "LOCATION"),
                    "status": text(event, "STATUS"),
                    "categories": categories,
                    "sequence": event.get("SEQUENCE"),
                    "start": start,
                    "start_own_vtimezone": start_own,
                    "end": end,
                    "end_own_vtimezone": end_own,
                },
                ensure_ascii=False,
            )
        )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
