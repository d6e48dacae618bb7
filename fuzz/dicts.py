#!/usr/bin/env python3
"""Writes the AFL++/libFuzzer dictionaries fuzz/<target>.dict from the scenario
format's own tables (scenario/scenario.h: the op X-macro, whose order is the binary
opcode; scenario/fields.h: the header keys). Run it after adding an op or key:

    python3 fuzz/dicts.py            # rewrite fuzz/*.dict
    python3 fuzz/dicts.py --check    # exit 1 if a committed .dict is stale

Binary inputs (core_invariants, diff_upstream): byte 0 is the profile (% 4),
then a varint per header field, then per op an opcode byte (mod the op count)
and a varint per argument (value - lo). Tokens: every opcode byte, every opcode
with small and boundary arguments, varint boundaries. The scenario_parser
target reads the same bytes both as text and as binary, so its dictionary has
the readable keywords and the binary opcodes.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def num(s):
    s = s.strip().replace("LL", "")
    if not re.fullmatch(r"[-()0-9 <]+", s):
        sys.exit("dicts.py: unexpected bound %r in scenario/scenario.h" % s)
    return int(eval(s, {"__builtins__": {}}))  # "(1LL << 48)", "-4096"


def ops():
    h = read("scenario/scenario.h")
    out = []
    pat = r'X\((\w+),\s*"([^"]*)",\s*(\d+),\s*([^,]+),\s*([^,]+),\s*([^,]+),\s*([^)]+?\)?)\)\s*\\?\n'
    for m in re.finditer(pat, h):
        name, text, n = m.group(1), m.group(2), int(m.group(3))
        lo = [num(m.group(4)), num(m.group(6))]
        hi = [num(m.group(5)), num(m.group(7))]
        out.append((name, text, n, lo, hi))
    if len(out) < 10:
        sys.exit("dicts.py: could not read the op table of scenario/scenario.h")
    return out


def header_keys():
    keys = re.findall(r'\{"(\w+)", &Header::', read("scenario/fields.h"))
    if len(keys) < 10:
        sys.exit("dicts.py: could not read the header keys of scenario/fields.h")
    return keys


def varint(v):
    b = bytearray()
    while v >= 0x80:
        b.append((v & 0x7F) | 0x80)
        v >>= 7
    b.append(v)
    return bytes(b)


def esc(b):
    """AFL dictionary value: printable ASCII as is except \\ and ", the rest \\xNN."""
    s = ""
    for c in b:
        s += chr(c) if 0x20 <= c < 0x7F and c not in (0x22, 0x5C) else "\\x%02x" % c
    return '"' + s + '"'


def entry(name, b):
    return "%s=%s" % (name, esc(b))


def binary_tokens(op_list):
    lines = ["# profile byte (input byte 0, % 4): ballast, linux-2019, linux-6.1, linux-6.12",
             entry("profile_ballast", b"\x00"), entry("profile_2019", b"\x01"), entry("profile_61", b"\x02"),
             entry("profile_612", b"\x03"),
             "# varint boundaries",
             entry("varint_7f", varint(0x7F)), entry("varint_80", varint(0x80)),
             entry("varint_4096", varint(4096)), entry("varint_65536", varint(65536)),
             entry("varint_u32", varint(0xFFFFFFFF)),
             "# opcodes (order of BALLAST_SCENARIO_OPS), alone and with arguments (encoded as value - lo)"]
    for code, (name, _text, n, lo, hi) in enumerate(op_list):
        key = "op_%02d_%s" % (code, name)
        lines.append(entry(key, bytes([code])))
        if n == 0:
            continue
        span = hi[0] - lo[0]
        vals = {0, 1, 2, 16, 512, 513, 4096, span} | ({-lo[0]} if lo[0] < 0 else set())
        for v in sorted(vals):
            if 0 <= v <= span:
                arg2 = varint(-lo[1]) if n == 2 else b""  # second argument 0
                lines.append(entry("%s_%s" % (key, str(lo[0] + v).replace("-", "m")),
                                   bytes([code]) + varint(v) + arg2))
    return lines


def text_tokens(op_list, keys):
    words = set()
    for _, text, _, _, _ in op_list:
        words.add(text)
        words.update(text.split())
    lines = ["# readable scenario format (scenario/FORMAT.md)",
             entry("world", b"world "), entry("comment", b"# "), entry("newline", b"\n"), entry("crlf", b"\r\n"),
             entry("profile_tag", b"# profile: "), entry("profile_linux_2019", b"# profile: linux-2019\n"),
             entry("profile_linux_61", b"# profile: linux-6.1\n"),
             entry("profile_linux_612", b"# profile: linux-6.12\n"), entry("profile_name_ballast", b"ballast"),
             entry("pair_tag", b"# pair: "), entry("pair_core_upstream", b"# pair: core:ballast upstream:6.1\n"),
             entry("spec_switch", b"+validate_inputs=0"),
             entry("hex", b"0x"), entry("minus", b"-"), entry("none", b"none"), entry("region", b"region="),
             entry("region_value", b"region=2048+64"), entry("plus", b"+"),
             entry("online_manual", b"manual"), entry("online_sync", b"sync"), entry("online_deferred", b"deferred"),
             entry("num_2_48", b"281474976710656"), entry("num_2_40", b"1099511627776"),
             entry("num_4096", b"4096"), entry("num_65536", b"65536")]
    for k in keys:
        lines.append(entry("key_" + k, (k + "=").encode()))
    for w in sorted(words):
        lines.append(entry("kw_" + re.sub(r"\W", "_", w), (w + " ").encode()))
    return lines


def render(target, body):
    head = ["# fuzz/%s.dict: generated by fuzz/dicts.py from scenario/scenario.h and scenario/fields.h; do not edit." % target,
            "# AFL++ (-x) and libFuzzer (-dict=) syntax."]
    return "\n".join(head + body) + "\n"


def main():
    op_list, keys = ops(), header_keys()
    files = {
        "core_invariants": render("core_invariants", binary_tokens(op_list)),
        "diff_upstream": render("diff_upstream", binary_tokens(op_list)),
        "scenario_parser": render("scenario_parser", text_tokens(op_list, keys) + binary_tokens(op_list)),
    }
    check = "--check" in sys.argv[1:]
    stale = 0
    for t, text in files.items():
        path = os.path.join(ROOT, "fuzz", t + ".dict")
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if old == text:
            continue
        if check:
            print("dicts.py: %s is stale; run python3 fuzz/dicts.py" % path, file=sys.stderr)
            stale = 1
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print("wrote " + path)
    return stale


if __name__ == "__main__":
    sys.exit(main())
