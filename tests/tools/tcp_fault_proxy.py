#!/usr/bin/env python3
"""A TCP proxy between a client and a server that drops and stalls connections on demand.

    tcp_fault_proxy.py --upstream 127.0.0.1:3306 --port-file FILE
    kill -USR1 PID   # drop: every open connection is cut (both ends closed at once)
    kill -USR2 PID   # stall: bytes stop flowing both ways (connections stay open); again: flowing

The chosen port is written to FILE once the proxy listens.
"""
import argparse
import os
import selectors
import signal
import socket
import threading

state = {"stall": False, "drop": 0}
lock = threading.Lock()


def relay(client, upstream, generation):
    sel = selectors.DefaultSelector()
    sel.register(client, selectors.EVENT_READ, upstream)
    sel.register(upstream, selectors.EVENT_READ, client)
    try:
        while state["drop"] == generation:
            if state["stall"]:
                threading.Event().wait(0.05)
                continue
            for key, _ in sel.select(timeout=0.05):
                data = key.fileobj.recv(65536)
                if not data:
                    return
                key.data.sendall(data)
    except OSError:
        pass
    finally:
        for s in (client, upstream):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--port-file", required=True)
    args = parser.parse_args()
    host, port = args.upstream.rsplit(":", 1)

    def on_drop(*_):
        state["drop"] += 1

    def on_stall(*_):
        state["stall"] = not state["stall"]

    signal.signal(signal.SIGUSR1, on_drop)
    signal.signal(signal.SIGUSR2, on_stall)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(listener.getsockname()[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    while True:
        try:
            client, _ = listener.accept()
        except InterruptedError:
            continue
        try:
            upstream = socket.create_connection((host, int(port)))
        except OSError:
            client.close()
            continue
        threading.Thread(target=relay, args=(client, upstream, state["drop"]), daemon=True).start()


if __name__ == "__main__":
    main()
