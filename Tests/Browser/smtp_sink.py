"""A real SMTP server for the browser tests (aiosmtpd): every message the THADS server sends through SMTP_URL is
kept as an .eml file under <directory>, as the server itself writes them when no SMTP server is configured, so the
tests read mail the same way with or without it.

    python3 smtp_sink.py <port> <directory>
"""

import os
import sys
import time
import uuid

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory

    async def handle_DATA(self, server, session, envelope):
        os.makedirs(self.directory, mode=0o700, exist_ok=True)
        name = f"{int(time.time() * 1000)}-{uuid.uuid4()}.eml"
        path = os.path.join(self.directory, name)
        with open(path + ".part", "wb") as handle:
            handle.write(envelope.original_content or envelope.content)
        os.replace(path + ".part", path)
        return "250 OK"


def main():
    port = int(sys.argv[1])
    directory = sys.argv[2]
    controller = Controller(Sink(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"smtp_sink: listening on 127.0.0.1:{port}, mail to {directory}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
