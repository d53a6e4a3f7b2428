#!/usr/bin/env python3
"""notify_listener.py SOCKET OUT SECONDS: stands in for systemd's notification socket. Binds a
Unix datagram socket at SOCKET and appends every message received, one per line with the
monotonic time in seconds, to OUT, for SECONDS seconds (or until killed)."""
import os
import socket
import sys
import time

path, out, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
if os.path.exists(path):
    os.unlink(path)
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
sock.settimeout(0.2)
end = time.monotonic() + seconds
with open(out, "a", buffering=1) as f:
    print("listening", file=f)
    while time.monotonic() < end:
        try:
            data = sock.recv(4096)
        except socket.timeout:
            continue
        for line in data.decode(errors="replace").splitlines():
            print(f"{time.monotonic():.3f} {line}", file=f)
