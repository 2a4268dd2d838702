"""Length-prefixed pickled messages between the web process and its query workers.

A message is written in one `write` (header and body together) and, when it fits the pipe's
buffer, read in one `read` after one `poll`: a round trip costs each side one wake-up."""

import os
import pickle
import select
import struct
import time

HEADER = struct.Struct("!I")
CHUNK = 1 << 16  # a pipe's buffer on Linux: most messages arrive whole in one read


def send(fd: int, message: object) -> None:
    """Write one message to a pipe (blocking)."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(HEADER.pack(len(data)) + data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def receive(fd: int, deadline: float | None = None) -> object:
    """Read one message; EOFError if the pipe closed, TimeoutError past the monotonic deadline."""
    return finish(fd, read_some(fd, CHUNK, deadline), deadline)


def complete(first: bytes) -> bool:
    """Whether the bytes read so far hold a whole message."""
    return len(first) >= HEADER.size and len(first) - HEADER.size >= HEADER.unpack_from(first)[0]


def finish(fd: int, first: bytes, deadline: float | None) -> object:
    """The message whose first bytes were read, reading the rest."""
    if not first:
        raise EOFError("pipe closed")
    while len(first) < HEADER.size:
        first += read_some(fd, HEADER.size - len(first), deadline)
    (length,) = HEADER.unpack_from(first)
    chunks, size = [first[HEADER.size :]], len(first) - HEADER.size
    while size < length:
        chunk = read_some(fd, min(length - size, 1 << 20), deadline)
        chunks.append(chunk)
        size += len(chunk)
    return pickle.loads(b"".join(chunks) if len(chunks) > 1 else chunks[0])


def read_some(fd: int, size: int, deadline: float | None) -> bytes:
    wait_readable(fd, deadline)
    chunk = os.read(fd, size)
    if not chunk:
        raise EOFError("pipe closed")
    return chunk


def wait_readable(fd: int, deadline: float | None) -> None:
    if deadline is None:
        return
    remaining = deadline - time.monotonic()
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    if remaining <= 0 or not poller.poll(remaining * 1000):
        raise TimeoutError("deadline passed")
