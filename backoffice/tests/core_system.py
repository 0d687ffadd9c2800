"""A tiny real core system for the push tests: an http.server on a loopback port that records
every request (method, path, headers, JSON body) and answers with the statuses it is given,
in order (the last one repeats)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Loopback ports this suite's servers use, so parallel runs on one machine keep apart.
PORTS = range(8640, 8650)


class CoreSystemServer:
    def __init__(self, *statuses: int):
        self.statuses = list(statuses) or [201]
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                server.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": json.loads(raw),
                    }
                )
                n = len(server.requests)
                status = server.statuses[min(n, len(server.statuses)) - 1]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        for port in PORTS:
            try:
                self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
                break
            except OSError:
                continue
        else:
            raise OSError(f"no free port in {PORTS}")
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/madoguchi/tasks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
