#!/usr/bin/env python3
"""Collect syslog datagrams on a unix socket into a file, one per line."""
import os
import socket
import sys

path, out = sys.argv[1], sys.argv[2]
try:
    os.unlink(path)
except FileNotFoundError:
    pass
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
os.chmod(path, 0o666)
with open(out, "ab", buffering=0) as f:
    f.write(b"")
    # Tell the starter we are ready.
    open(out + ".ready", "w").close()
    while True:
        data = sock.recv(65536)
        f.write(data.rstrip(b"\n").replace(b"\n", b" ") + b"\n")
