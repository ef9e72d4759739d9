"""A real DNS server on 127.0.0.1 (UDP) for the link check's tests, and a resolver that
asks it: the checker's lookup is pointed at it to meet a name server that answers
late. The system's resolver (/etc/resolv.conf) cannot be pointed elsewhere from inside
a process; every other test uses it.

Only what the tests need: A queries for names in `names`, answered at once, or after
`late[name]` seconds (at once when the server stops, so that no lookup thread is left
waiting)."""

import contextlib
import socket
import struct
import threading

ANSWER_TIMEOUT = 10.0  # seconds the resolver waits for an answer, at most


class DNSServer:
    def __init__(self, names: dict[str, str], late: dict[str, float] | None = None):
        self.names = names
        self.late = late or {}
        self.queries: list[str] = []
        self._stopped = threading.Event()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                query, client = self.sock.recvfrom(512)
            except OSError:  # closed
                return
            name = _question_name(query)
            self.queries.append(name)
            threading.Thread(target=self._answer, args=(query, client, name), daemon=True).start()

    def _answer(self, query: bytes, client, name: str) -> None:
        if name in self.late:
            self._stopped.wait(self.late[name])
        address = self.names.get(name)
        flags = 0x8180 if address else 0x8183  # an answer, or "no such name"
        header = query[:2] + struct.pack("!HHHHH", flags, 1, 1 if address else 0, 0, 0)
        reply = header + query[12:]
        if address:
            # The question's name (a pointer to offset 12), A, IN, TTL 60, 4 bytes.
            reply += struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton(address)
        with contextlib.suppress(OSError):  # the server stopped meanwhile
            self.sock.sendto(reply, client)

    def stop(self) -> None:
        self._stopped.set()  # late answers go out now
        self._thread.join(0.05)
        self.sock.close()

    def resolver(self):
        """A getaddrinfo that asks this server (A records, UDP) and nothing else."""

        def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
            query = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
            for label in host.rstrip(".").split("."):
                query += bytes([len(label)]) + label.encode("idna")
            query += b"\0" + struct.pack("!HH", 1, 1)
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.settimeout(ANSWER_TIMEOUT)
                sock.sendto(query, ("127.0.0.1", self.port))
                reply = sock.recv(512)
            if struct.unpack("!H", reply[6:8])[0] == 0:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            address = socket.inet_ntoa(reply[len(query) + 12 : len(query) + 16])
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

        return getaddrinfo


def _question_name(query: bytes) -> str:
    labels, at = [], 12
    while query[at]:
        length = query[at]
        labels.append(query[at + 1 : at + 1 + length].decode("ascii"))
        at += 1 + length
    return ".".join(labels)
