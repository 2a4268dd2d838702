"""The query worker's wall: a network namespace of its own, so no query can open a connection.

The parse check (server/sparql/safety.py) refuses SERVICE and LOAD first, but a check built on a second
parser can be fooled; this wall cannot. `isolate_network()` moves the process into a new network
namespace (unshare(2) with CLONE_NEWNET, and CLONE_NEWUSER when not root, so that it needs no
privilege where unprivileged user namespaces are allowed). Its only interface is the loopback:
nothing outside the namespace can be reached and no name resolves. It fails closed: if the
namespace cannot be made, or the process is not in it afterwards, SandboxError is raised and the
worker refuses to start.

Allow-listed SERVICE endpoints (an operator's choice) are reached through a relay, not through
the network: before leaving, the worker forks a relay that stays in the host's namespace. Inside,
each allow-listed host gets a loopback address of its own (127.0.0.2, 127.0.0.3, …; a private
/etc/hosts, in a mount namespace of its own, names it), and the worker listens there on the
endpoint's port; the relay accepts on those sockets and connects each one to its fixed host and
port only, copying bytes both ways (TLS stays end to end). A query can reach nothing else: no
other address inside the namespace has a listener, and none outside is routed.
"""

import ctypes
import errno
import fcntl
import ipaddress
import os
import signal
import socket
import struct
import tempfile
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
MS_BIND, MS_REC, MS_PRIVATE = 0x1000, 0x4000, 0x40000
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
PR_SET_PDEATHSIG = 1
UNROUTED = ("192.0.2.1", 9)  # TEST-NET-1 (RFC 5737): a probe that must find no route
# the worker's end of the pair to its relay: the relay stops when it closes, so it is kept here
RELAY_CONTROL: list[socket.socket] = []


class SandboxError(OSError):
    """The worker could not be cut off from the network: it must not run queries."""


@dataclass(frozen=True)
class Egress:
    """One allow-listed endpoint's way out: the inside address and port, the outside target."""

    inside: str
    host: str
    port: int


def libc():
    return ctypes.CDLL(None, use_errno=True)


def checked(result: int) -> None:
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (best effort elsewhere)."""
    try:
        libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:
        os._exit(1)


def egress_routes(allowlist) -> list[Egress]:
    """One route per allow-listed host and port; SandboxError for an IRI it cannot serve."""
    addresses: dict[str, str] = {}
    routes: dict[tuple[str, int], Egress] = {}
    for iri in allowlist:
        parts = urlsplit(iri)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SandboxError(f"cannot relay SERVICE <{iri}>: only http(s) IRIs with a host")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        inside = addresses.setdefault(parts.hostname, inside_address(parts.hostname, addresses))
        routes.setdefault((parts.hostname, port), Egress(inside, parts.hostname, port))
    return list(routes.values())


def inside_address(host: str, taken: dict[str, str]) -> str:
    """A host written as a loopback address keeps it; any other gets the next 127.0.0.N."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"127.0.0.{len(taken) + 2}"
    if address.version == 4 and address.is_loopback:
        return host
    raise SandboxError(f"cannot relay SERVICE to {host}: allow-list it by host name")


def isolate_network(allowlist=()) -> None:
    """Leave the host's network for an empty namespace (with a relay to the allow-listed
    endpoints, if any), or raise SandboxError."""
    routes = egress_routes(allowlist)
    before = os.readlink("/proc/self/ns/net")
    relay = start_relay(routes) if routes else None
    enter_namespace(CLONE_NEWNET | (CLONE_NEWNS if routes else 0))
    if routes:
        assert relay is not None
        open_routes(routes, relay)
    check_isolated(before)


def enter_namespace(flags: int) -> None:
    attempts = [flags, CLONE_NEWUSER | flags]
    if os.geteuid() != 0:
        attempts.reverse()
    failures = []
    for attempt in attempts:
        try:
            checked(libc().unshare(attempt))
            return
        except OSError as error:
            failures.append(error.strerror or str(error))
    raise SandboxError(f"cannot make a network namespace ({'; '.join(failures)})")


def check_isolated(before: str) -> None:
    """Prove the namespace is a new one whose only interface is the loopback, with no route out."""
    if os.readlink("/proc/self/ns/net") == before:
        raise SandboxError("still in the host's network namespace")
    interfaces = [name for _, name in socket.if_nameindex()]
    if interfaces != ["lo"]:
        raise SandboxError(f"the namespace has interfaces {interfaces}")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        if probe.connect_ex(UNROUTED) != errno.ENETUNREACH:
            raise SandboxError("an address outside the namespace is still routed")


def open_routes(routes: list[Egress], relay: socket.socket) -> None:
    """Inside the new namespaces: loopback up, the hosts named, one listener per route handed to
    the relay."""
    try:
        checked(libc().mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None))
        name_hosts(routes)
        loopback_up()
        listeners = [listen(route) for route in routes]
        socket.send_fds(relay, [b"routes"], [listener.fileno() for listener in listeners])
    except OSError as error:
        raise SandboxError(f"cannot open the SERVICE relay ({error})") from None
    for listener in listeners:
        listener.close()


def name_hosts(routes: list[Egress]) -> None:
    lines = ["127.0.0.1 localhost"]
    lines += [f"{route.inside} {route.host}" for route in routes if route.inside != route.host]
    with tempfile.NamedTemporaryFile("w", prefix="zzkg-hosts-", delete=False) as hosts:
        hosts.write("\n".join(lines) + "\n")
    try:
        checked(libc().mount(hosts.name.encode(), b"/etc/hosts", None, MS_BIND, None))
    finally:
        os.unlink(hosts.name)


def loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as control:
        request = struct.pack("16sH14x", b"lo", 0)
        (flags,) = struct.unpack_from("16xH", fcntl.ioctl(control, SIOCGIFFLAGS, request))
        fcntl.ioctl(control, SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | IFF_UP))


def listen(route: Egress) -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((route.inside, route.port))
    listener.listen(16)
    return listener


def start_relay(routes: list[Egress]) -> socket.socket:
    """Fork the relay (it stays in the host's namespace); the worker keeps one end of a pair."""
    ours, theirs = socket.socketpair()
    if os.fork() == 0:
        ours.close()
        try:
            run_relay(theirs, routes)
        finally:
            os._exit(0)
    theirs.close()
    RELAY_CONTROL.append(ours)
    return ours


def run_relay(control: socket.socket, routes: list[Egress]) -> None:
    """Accept on the worker's listeners; connect each to its route's fixed target; stop when the
    worker is gone."""
    die_with_parent()
    _, fds, _, _ = socket.recv_fds(control, 16, len(routes))
    for fd, route in zip(fds, routes, strict=True):
        listener = socket.socket(fileno=fd)
        threading.Thread(target=accept_loop, args=(listener, route), daemon=True).start()
    control.recv(1)  # returns when the worker closes its end or dies


def accept_loop(listener: socket.socket, route: Egress) -> None:
    while True:
        inside, _ = listener.accept()
        threading.Thread(target=connect_out, args=(inside, route), daemon=True).start()


def connect_out(inside: socket.socket, route: Egress) -> None:
    try:
        outside = socket.create_connection((route.host, route.port), timeout=10)
    except OSError:
        inside.close()
        return
    outside.settimeout(None)
    with inside, outside:
        back = threading.Thread(target=copy, args=(outside, inside), daemon=True)
        back.start()
        copy(inside, outside)
        back.join()


def copy(source: socket.socket, target: socket.socket) -> None:
    """Bytes from one end to the other until it closes; then close the other's writing side."""
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    finally:
        try:
            target.shutdown(socket.SHUT_WR)
        except OSError:
            pass
