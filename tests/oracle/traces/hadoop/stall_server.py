"""A TCP endpoint on 127.0.0.1 that never answers, for the timeout traces. Ends by itself after --lifetime s.

    python stall_server.py --port PORT --mode silent|backlog [--lifetime 120]

silent:  accepts connections, reads what the client sends and never writes a byte (-> read/socket timeout).
backlog: listens with a backlog of 0 and never accepts; it fills its own accept queue with two connections
         of its own, so the kernel drops the client's SYNs (-> connect timeout).
"""

import argparse
import socket
import threading
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mode", choices=["silent", "backlog"], required=True)
    parser.add_argument("--lifetime", type=float, default=120.0)
    args = parser.parse_args()
    deadline = time.monotonic() + args.lifetime

    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", args.port))
    held = []
    if args.mode == "backlog":
        server.listen(0)
        for _ in range(2):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.settimeout(0.5)
            try:
                filler.connect(("127.0.0.1", args.port))
            except OSError:
                pass
            held.append(filler)
        print("ready", flush=True)
        while time.monotonic() < deadline:
            time.sleep(0.2)
        return

    server.listen(16)
    server.settimeout(0.2)
    print("ready", flush=True)

    def swallow(conn: socket.socket) -> None:
        conn.settimeout(0.2)
        while time.monotonic() < deadline:
            try:
                if not conn.recv(65536):
                    break
            except socket.timeout:
                continue
            except OSError:
                break
        conn.close()

    while time.monotonic() < deadline:
        try:
            conn, _ = server.accept()
        except socket.timeout:
            continue
        held.append(conn)
        threading.Thread(target=swallow, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
