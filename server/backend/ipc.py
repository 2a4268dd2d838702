"""Length-prefixed pickled messages between the web process and its query workers.

A message is written in one `write` (header and body together) and, when it fits the pipe's
buffer, read in one `read` after one `poll`: a round trip costs each side one wake-up. A longer
one is read in pieces (`Incoming`), by a blocking reader or on the event loop alike."""

import fcntl
import os
import pickle
import select
import struct
import time

HEADER = struct.Struct("!I")
CHUNK = 1 << 16  # a pipe's buffer on Linux: most messages arrive whole in one read
MAX_READ = 1 << 20  # the most one read of a long message asks for
# a reply pipe's buffer: the most an unprivileged process may ask for on Linux
# (/proc/sys/fs/pipe-max-size), so that a worker writes a reply of up to 1 MiB in one go and
# the web process reads it after one wake-up, not one per 64 KiB
WIDE_PIPE = 1 << 20


def widen(fd: int) -> bool:
    """Give the pipe WIDE_PIPE bytes of buffer; False where the system refuses (the user's
    pipes over their limit, not Linux), which leaves it as it was."""
    try:
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, WIDE_PIPE)
    except (OSError, AttributeError):
        return False
    return True


def send(fd: int, message: object) -> None:
    """Write one message to a pipe (blocking)."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(HEADER.pack(len(data)) + data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class Incoming:
    """One message as its pieces arrive: `feed` each read until it says the message is whole."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.size = 0
        self.length: int | None = None  # of the body, once the header is in

    def wanted(self) -> int:
        """How many bytes the next read should ask for."""
        if self.length is None:
            return CHUNK
        return min(self.length + HEADER.size - self.size, MAX_READ)

    def feed(self, chunk: bytes) -> bool:
        """Take one read's bytes (EOFError if the pipe closed); True once the message is whole."""
        if not chunk:
            raise EOFError("pipe closed")
        self.chunks.append(chunk)
        self.size += len(chunk)
        if self.length is None and self.size >= HEADER.size:
            if len(self.chunks) > 1:
                self.chunks = [b"".join(self.chunks)]
            (self.length,) = HEADER.unpack_from(self.chunks[0])
        return self.length is not None and self.size >= self.length + HEADER.size

    def message(self) -> object:
        data = self.chunks[0] if len(self.chunks) == 1 else b"".join(self.chunks)
        return pickle.loads(memoryview(data)[HEADER.size :])


def receive(fd: int, deadline: float | None = None) -> object:
    """Read one message; EOFError if the pipe closed, TimeoutError past the monotonic deadline."""
    incoming = Incoming()
    while True:
        wait_readable(fd, deadline)
        if incoming.feed(os.read(fd, incoming.wanted())):
            return incoming.message()


def wait_readable(fd: int, deadline: float | None) -> None:
    if deadline is None:
        return
    remaining = deadline - time.monotonic()
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    if remaining <= 0 or not poller.poll(remaining * 1000):
        raise TimeoutError("deadline passed")
