"""A loopback proxy that signs what schemathesis sends: a fresh token, Content-Digest and an RFC 9421 signature over
the exact bytes forwarded, so the generated requests reach the operations instead of stopping at the gate.

    python3 signing_proxy.py PORT   (THADS_URL, THADS_CLIENT_ID, THADS_KEY_FILE set; imports thads_client.py, the
                                      example of docs/api.md extracted by run.sh)
"""
import http.server
import sys
import time

import requests

import thads_client

UPSTREAM = thads_client.BASE
state = {"token": None, "at": 0.0}


def token():
    if state["token"] is None or time.time() - state["at"] > 300:
        state["token"] = thads_client.get_token()
        state["at"] = time.time()
    return state["token"]


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "connection")}
        if self.path.startswith("/api/v1/") and self.path not in ("/api/v1/token", "/api/v1/server-key") \
                and not self.path.startswith("/api/v1/openapi.yaml"):
            headers.update(thads_client.signed_headers(self.command, self.path, body, token()))
        answer = requests.request(self.command, UPSTREAM + self.path, headers=headers, data=body,
                                  allow_redirects=False)
        self.send_response(answer.status_code)
        for name, value in answer.headers.items():
            if name.lower() not in ("transfer-encoding", "connection", "content-length", "content-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = forward

    def __getattr__(self, name):
        # Any other method schemathesis tries (TRACE, …) goes to the server too, which answers for itself.
        if name.startswith("do_"):
            return self.forward
        raise AttributeError(name)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Proxy)
    print("listening", flush=True)
    server.serve_forever()
