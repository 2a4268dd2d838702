"""Length-prefixed pickled messages between the web process and its query workers."""

import os
import pickle
import select
import struct
import time

HEADER = struct.Struct("!I")


def send(fd: int, message: object) -> None:
    """Write one message to a pipe (blocking)."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(HEADER.pack(len(data)) + data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def receive(fd: int, deadline: float | None = None) -> object:
    """Read one message; EOFError if the pipe closed, TimeoutError past the monotonic deadline."""
    (length,) = HEADER.unpack(read_exactly(fd, HEADER.size, deadline))
    return pickle.loads(read_exactly(fd, length, deadline))


def read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    chunks = []
    while size:
        wait_readable(fd, deadline)
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError("pipe closed")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def wait_readable(fd: int, deadline: float | None) -> None:
    if deadline is None:
        return
    remaining = deadline - time.monotonic()
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    if remaining <= 0 or not poller.poll(remaining * 1000):
        raise TimeoutError("deadline passed")
