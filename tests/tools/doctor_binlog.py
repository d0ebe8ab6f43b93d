#!/usr/bin/env python3
"""Edits a binlog the way a forger would: the first event holding OLD (bytes) gets NEW (same length)
in its place and its CRC32 recomputed, so that every event still reads as whole and only a record of
the file's SHA-256 can tell. Exits 1 when no event holds OLD.

    doctor_binlog.py FILE OLD NEW
"""
import struct
import sys
import zlib


def main():
    path, old, new = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
    if len(old) != len(new):
        sys.exit("doctor_binlog.py: OLD and NEW must have the same length")
    data = bytearray(open(path, "rb").read())
    at = 4  # after the magic bytes
    while at < len(data):
        length = struct.unpack_from("<I", data, at + 9)[0]
        event = data[at:at + length]
        i = event.find(old)
        if i >= 0:
            event[i:i + len(old)] = new
            struct.pack_into("<I", event, length - 4, zlib.crc32(bytes(event[:length - 4])) & 0xFFFFFFFF)
            data[at:at + length] = event
            open(path, "wb").write(data)
            return
        at += length
    sys.exit(1)


main()
