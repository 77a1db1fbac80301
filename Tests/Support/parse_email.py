#!/usr/bin/env python3
"""parse_email.py FILE.eml - print one JSON object describing a stored message.

Parses with email.message_from_bytes(data, policy=email.policy.default) and
prints:
  subject, from_display, from_address, to [[display, address], ...],
  reply_to [[display, address], ...] or null, message_id, date,
  auto_submitted, mime_version, content_type,
  text / html   get_body(('plain',)) / get_body(('html',)) .get_content(), or null;
                CRLF line breaks are given as "\n" (the raw bytes are judged
                by max_line_length and all_lines_crlf)
  defects       message, part and header defects, as strings ("Class: text"
                for message/part defects, "Header-Name: Class: text" for headers)
  max_line_length  longest raw line, excluding its CRLF / LF
  all_lines_crlf   every LF is preceded by CR and there is no lone CR
Missing single-valued headers come out as "" (not null).
Exits 0 even when defects are found (the caller decides); exits 2 with a
message on stderr if the file cannot be read or parsed at all.
"""
import email
import email.policy
import json
import re
import sys


def describe(defect):
    text = str(defect)
    return f"{type(defect).__name__}: {text}" if text else type(defect).__name__


def addresses(msg, name):
    header = msg[name]
    if header is None:
        return None
    return [[a.display_name, a.addr_spec] for a in header.addresses]


def body(msg, kind):
    # get_content() keeps the wire's CRLF line breaks; report them as "\n".
    part = msg.get_body((kind,))
    return None if part is None else part.get_content().replace("\r\n", "\n")


def summarize(data):
    msg = email.message_from_bytes(data, policy=email.policy.default)
    defects = []
    for part in msg.walk():
        defects += [describe(d) for d in part.defects]
        for name, value in part.items():
            defects += [f"{name}: {describe(d)}" for d in getattr(value, "defects", ())]

    from_ = msg["From"]
    from_addrs = from_.addresses if from_ is not None else ()
    lines = re.split(rb"\r?\n", data)
    if lines and lines[-1] == b"":
        lines.pop()
    crlf = (data.count(b"\n") == data.count(b"\r\n") == data.count(b"\r"))
    return {
        "subject": str(msg.get("Subject", "")),
        "from_display": from_addrs[0].display_name if from_addrs else "",
        "from_address": from_addrs[0].addr_spec if from_addrs else "",
        "to": addresses(msg, "To") or [],
        "reply_to": addresses(msg, "Reply-To"),
        "message_id": str(msg.get("Message-ID", "")),
        "date": str(msg.get("Date", "")),
        "auto_submitted": str(msg.get("Auto-Submitted", "")),
        "mime_version": str(msg.get("MIME-Version", "")),
        "content_type": msg.get_content_type(),
        "text": body(msg, "plain"),
        "html": body(msg, "html"),
        "defects": defects,
        "max_line_length": max((len(l) for l in lines), default=0),
        "all_lines_crlf": crlf,
    }


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    try:
        with open(argv[1], "rb") as f:
            data = f.read()
        result = summarize(data)
    except Exception as e:  # unreadable file or a parser crash
        print(f"parse_email.py: cannot parse {argv[1]}: {type(e).__name__}: {e}",
              file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
