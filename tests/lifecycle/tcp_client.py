# tcp_client.py — the client side of the tcp_host test: reads the port from
# the server's first line (argv[1]: a file), sends lines on two loopback
# connections, checks the upper-cased replies, then sends "quit".
import socket, sys, time

deadline = time.time() + 10
port = None
while port is None and time.time() < deadline:
    try:
        first = open(sys.argv[1]).readline()
        if first.startswith("port "):
            port = int(first.split()[1])
    except OSError:
        pass
    time.sleep(0.02)

def lines(sock, n):
    data = b""
    sock.settimeout(5)
    while data.count(b"\n") < n:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.decode().splitlines()

a = socket.create_connection(("127.0.0.1", port))
b = socket.create_connection(("127.0.0.1", port))
a.sendall(b"hello\nworld\n")
print(" ".join(lines(a, 2)))
b.sendall(b"".join(b"line %d\n" % i for i in range(100)))
got = lines(b, 100)
print(len(got), got[0], got[-1])
a.sendall(b"quit\n")
a.close()
b.close()
